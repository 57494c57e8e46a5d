"""The plan file: reading YAML with line numbers, schema and semantic checks, Vietnamese number formats, loading
a plan into the database (which generates its occurrences), diffs between plan files and summaries.

It imports `models`, `tasks.calendar` and `tasks.duties` (loading generates occurrences); never
`tasks.importing`, `tasks.reminders`, `tasks.reports`, `tasks.people`, `notifications`, `web`, `flows` or `dutyflow`.
"""
