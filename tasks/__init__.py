"""The work itself, as plain typed functions grouped by capability; each package's docstring says what it owns.

Nothing under `tasks/` reads the clock, opens a database on its own, or imports `flows`, `web`, `dutyflow`
(the command line, runtime and settings live at the edges); time, sessions and configuration come in as
parameters. `tests/test_architecture.py` holds the table of which package may import which.
"""
