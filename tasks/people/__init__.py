"""People who sign in: accounts and roles, passwords and private tokens, the audit log, the access rules the
pages and the API share, personal and body calendar feeds, and the demo's accounts.

It imports `models`, `tasks.calendar` and `tasks.duties`; never `tasks.reminders`, `tasks.reports`, `web`,
`flows` or `dutyflow`.
"""
