"""Chasing: the reminder and escalation policy (pure functions of dates), which step each live occurrence is
owed and who receives it, the sweep that queues those steps into the outbox and delivers them, and the
simulation that plays a stretch of days, and the overdue digests that name every overdue duty again.

It imports `models`, `notifications` (outbox, rendering, sending), `reports` (the overdue list as CSV for the
office digest), `tasks.calendar` and `tasks.duties`; never
`tasks.people`, `tasks.reports`, `web`, `flows` or `dutyflow`. Prefect tasks that wrap a sweep live in `flows/`.
"""
