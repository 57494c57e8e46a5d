"""Drafting a plan file from a plan document: the document's text (paragraphs across page breaks, footnotes
apart), the bodies and duties of the assigning section, targets and baseline figures, and the draft itself.

It works on text alone: it imports `tasks.plans` (numbers, the plan file schema) and `models.planfile`, never the
database, `notifications`, `web`, `flows` or `dutyflow`.
"""
