"""Duty occurrences and what happens to them: generating occurrences, statuses and their audit trail, actions
(submit, decide, record funding), the duty table and overdue list as of any date, notices (who was told),
evidence files, and the dashboard's read-only views with their data fingerprint.

It imports `models` and `tasks.calendar` only: never `tasks.people`, `tasks.reminders`, `tasks.reports`,
`notifications`, `web`, `flows` or `dutyflow`.
"""
