"""Time as Vietnamese offices count it: the local clock, working days (holidays and make-up days), Decree 09
reporting periods and their cut-offs, and the due rules that turn a cadence into deadlines.

The bottom of `tasks/`: it imports only `models` (the plan file schema) and must not import any other
`tasks` package, `notifications`, `reports`, `web`, `flows` or `dutyflow`.
"""
