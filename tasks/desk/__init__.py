"""What a signed-in person does, checked against the access rules and audited: submitting an occurrence with a
note and evidence, the office's decisions, acknowledging a reminder, reporting an indicator value.

The top of `tasks/`: it combines `tasks.people` with `tasks.duties` and `tasks.reports`; nothing else in `tasks/`
imports it, and it never imports `web`, `flows` or `dutyflow`.
"""
