"""Compiles a period's report: figures as of the cut-off, stored as a new version with their hash, rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.plan import Plan
from models.report import Report
from reports.render import FORMATS, render_report
from tasks.calendar.clock import local_date
from tasks.calendar.periods import Period
from tasks.calendar.workdays import WorkCalendar
from tasks.reports.figures import compute_figures, figures_sha256


class ReportRefused(Exception):
    def __init__(self, code: str, /, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Compiled:
    report: Report
    files: dict[str, str]


def compile_report(
    session: Session,
    *,
    plan: Plan,
    period: Period,
    now: dt.datetime,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    formats: list[str],
    out_dir: Path,
    by: str,
    draft: bool = False,
) -> Compiled:
    """A new version of `period`'s report. A period not yet cut off is refused unless it is a draft.

    Figures are computed as of the cut-off from the audit trail, so a later change never alters them;
    recompiling makes the next version, which records its own figures and hash.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ReportRefused("report.bad_format", formats=", ".join(unknown) or "-", allowed=", ".join(FORMATS))
    if not draft and local_date(now) <= period.end:
        raise ReportRefused("report.not_cut_off", period=period.token, cutoff=period.end.strftime("%d/%m/%Y"))
    figures = compute_figures(
        session, plan=plan, period=period, now=now, calendar=calendar, due_soon_workdays=due_soon_workdays, draft=draft
    )
    latest = session.scalar(
        select(func.max(Report.version)).where(Report.plan_id == plan.id, Report.period == period.token)
    )
    version = (latest or 0) + 1
    files = render_report(figures, version=version, formats=formats, out_dir=out_dir)
    report = Report(
        plan_id=plan.id,
        period=period.token,
        version=version,
        draft=draft,
        as_of=period.end,
        compiled_at=now,
        compiled_by=by,
        content_sha256=figures_sha256(figures),
        figures=figures,
        files=files,
    )
    session.add(report)
    session.flush()
    return Compiled(report, files)
