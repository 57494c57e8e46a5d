"""Reads a plan file: bytes -> YAML with lines -> schema -> checks, every problem located by line."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.planfile import PlanFile
from tasks.plans.checks import check_raw, check_typed
from tasks.plans.yaml_source import LinedData, Loc, decode_utf8, load_yaml

DEFAULT_MAX_BYTES = 1_048_576


@dataclass(frozen=True)
class PlanIssue:
    """One problem: where it is (file, line, field) and what it is (a message code with params)."""

    file: str
    line: int
    loc: Loc
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def field_path(self) -> str:
        """`bodies[3].duties[0].kind` for the loc ('bodies', 3, 'duties', 0, 'kind')."""
        text = ""
        for part in self.loc:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text or "-"


@dataclass
class PlanRead:
    """The outcome of reading a plan file: the plan when it is sound, else every issue."""

    path: str
    plan: PlanFile | None
    issues: list[PlanIssue]
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.issues


def read_plan_file(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanRead:
    name = str(path)
    try:
        file_path = Path(path)
        size = file_path.stat().st_size
        if size > max_bytes:
            return PlanRead(
                name, None, [PlanIssue(name, 1, (), "source.too_large", {"size": size, "limit": max_bytes})]
            )
        raw = file_path.read_bytes()
    except OSError as error:
        return PlanRead(
            name, None, [PlanIssue(name, 1, (), "source.unreadable", {"problem": error.strerror or str(error)})]
        )
    return read_plan_bytes(raw, name=name, max_bytes=max_bytes)


def read_plan_bytes(raw: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanRead:
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > max_bytes:
        return PlanRead(
            name, None, [PlanIssue(name, 1, (), "source.too_large", {"size": len(raw), "limit": max_bytes})]
        )
    text, decode_issue = decode_utf8(raw)
    if text is None:
        assert decode_issue is not None
        return PlanRead(name, None, [_issue(name, decode_issue.line, (), decode_issue.code, decode_issue.params)])
    # Text is stored as a person sees it: a plan typed on a Mac (NFD) finds the same names as one typed elsewhere.
    lined, source_issues = load_yaml(unicodedata.normalize("NFC", text))
    issues = [_issue(name, i.line, i.loc, i.code, i.params) for i in source_issues]
    if lined is None:
        return PlanRead(name, None, issues, digest)
    if not isinstance(lined.data, dict):
        return PlanRead(name, None, [*issues, _issue(name, 1, (), "source.not_mapping")], digest)
    plan, schema_issues = _validate(lined, name, already={i.loc for i in issues})
    issues += schema_issues
    found = check_raw(lined.data) + (check_typed(plan) if plan is not None else [])
    issues += [_issue(name, lined.line_of(loc), loc, code, params) for loc, code, params in found]
    issues.sort(key=lambda i: (i.line, i.field_path))
    return PlanRead(name, plan if not issues else None, issues, digest)


def _validate(lined: LinedData, name: str, *, already: set[Loc]) -> tuple[PlanFile | None, list[PlanIssue]]:
    try:
        return PlanFile.model_validate(lined.data), []
    except ValidationError as error:
        issues = []
        for item in error.errors(include_url=False):
            loc = _clean_loc(item["loc"])
            if loc in already:
                continue  # the reader already said what is wrong here
            params = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
            params["pydantic"] = item["msg"]
            issues.append(_issue(name, lined.line_of(loc), loc, f"schema.{item['type']}", params))
            already.add(loc)
        return None, issues


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop the names pydantic adds for union members and tagged variants."""
    noise = {"int", "float", "str", "workdays_after_cutoff", "before_day", "on_date"}
    return tuple(p for p in loc if not (isinstance(p, str) and (p in noise or p.startswith("function-"))))


def _issue(name: str, line: int, loc: Loc, code: str, params: dict[str, Any] | None = None) -> PlanIssue:
    return PlanIssue(name, line, loc, code, params or {})
