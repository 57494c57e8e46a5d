"""The `dutyflow` command line: thin commands over the functions in tasks/."""
