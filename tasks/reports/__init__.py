"""Periodic reports and the figures behind them: indicator values and allocations (one by one or from CSV/XLSX
tables), a period's figures as of its cut-off, compiling a report version (once per run of the periodic report),
announcing it through the outbox, and the province roll-up of every plan.

It imports `models`, `notifications`, `reports` (rendering the formats), `tasks.calendar`, `tasks.duties` and
`tasks.plans`; never `tasks.people`, `tasks.reminders`, `web`, `flows` or `dutyflow`.
"""
