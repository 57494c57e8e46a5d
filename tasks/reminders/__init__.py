"""Chasing: the reminder and escalation policy (pure functions of dates), which step each live occurrence is
owed and who receives it, the sweep that queues those steps into the outbox and delivers them, and the
simulation that plays a stretch of days. Overdue digests belong here too.

It imports `models`, `notifications` (outbox, rendering, sending), `tasks.calendar` and `tasks.duties`; never
`tasks.people`, `tasks.reports`, `web`, `flows` or `dutyflow`. Prefect tasks that wrap a sweep live in `flows/`.
"""
