"""A plan file as plain data for people and programs (`plan show`, later the web API)."""

from __future__ import annotations

from typing import Any

from models.planfile import PlanFile


def number(value: float) -> int | float:
    """Whole numbers print as integers (3000, not 3000.0)."""
    return int(value) if float(value).is_integer() else value


def plan_as_json(plan: PlanFile) -> dict[str, Any]:
    header = plan.plan
    return {
        "plan": {
            "code": header.code,
            "number": header.number,
            "title": header.title,
            "issuer": header.issuer,
            "place": header.place,
            "issued_on": header.issued_on.isoformat(),
            "year": header.year,
            "signer": header.signer.model_dump(mode="json"),
            "bases": [b.model_dump(mode="json") for b in header.bases],
            "recipients": list(header.recipients),
        },
        "contacts": [c.model_dump(mode="json") for c in plan.contacts],
        "bodies": [
            {
                "code": body.code,
                "name": body.name,
                "short_name": body.short_name,
                "order": body.order,
                "kind": body.kind.value,
                "authority": body.authority.value,
                "units": [u.model_dump(mode="json") for u in body.units],
                "contacts": [c.model_dump(mode="json") for c in body.contacts],
                "duties": [
                    {
                        "code": duty.code,
                        "text": duty.text,
                        "role": duty.role.value,
                        "kind": duty.kind.value,
                        "cadence": duty.cadence.model_dump(mode="json", exclude_none=True),
                        "due_rule": duty.due_rule.model_dump(mode="json", exclude_none=True),
                        "conditional": duty.condition is not None,
                        "condition": duty.condition,
                        "condition_text": duty.condition_text,
                        "support_bodies": list(duty.support_bodies),
                        "other_partners": list(duty.other_partners),
                        "legal_basis": list(duty.legal_basis),
                    }
                    for duty in body.duties
                ],
            }
            for body in plan.bodies
        ],
        "targets": [{**t.model_dump(mode="json", exclude_none=True), "value": number(t.value)} for t in plan.targets],
        "baseline": [{**f.model_dump(mode="json", exclude_none=True), "value": number(f.value)} for f in plan.baseline],
    }
