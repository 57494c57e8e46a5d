"""Compile time of the annual report, per format: the seed plan after a simulated year, and a province.

    .venv/bin/python -m bench.report_compile [--plans 100] [--database sqlite|postgresql]

Province: `--plans` copies of the seed plan (17 bodies each) in one database, each with a year of
occurrences, statuses and indicator values (per commune for counts). Goal: the four formats of a
province report in <= 10 s. Printed: figures, then each format, for one plan; then all plans in turn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from pathlib import Path

import yaml
from sqlalchemy import Engine, insert, select, update

from bench.common import fresh_database, load_seed, timed
from models import IndicatorValue, Occurrence, Plan, StatusEvent, Target, Unit
from models.db import session_factory
from models.planfile import PlanFile
from notifications.channels import ChannelBook
from reports.chart import status_chart_png
from reports.docx_report import render_docx
from reports.text_formats import render_html, render_markdown
from reports.xlsx_report import render_xlsx
from tasks.calendar.periods import parse_period
from tasks.calendar.workdays import WorkCalendar
from tasks.plans.loading import load_plan
from tasks.reminders.config import SweepConfig
from tasks.reminders.simulate import simulate
from tasks.reports.figures import compute_figures

ROOT = Path(__file__).resolve().parent.parent
YEAR = parse_period("2023")
NOW = dt.datetime(2024, 1, 5, 2, 0, tzinfo=dt.UTC)
CAL = WorkCalendar()
PERIODS = (
    [f"2023-{m:02d}" for m in range(1, 13)]
    + [f"2023-Q{q}" for q in range(1, 5)]
    + ["2023-H1", "2023-H2", "2023-9M", "2023"]
)


def per_format(engine: Engine, plan_code: str, out: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    with session_factory(engine)() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        figures, times["figures"] = timed(
            lambda: compute_figures(
                session, plan=plan, period=YEAR, now=NOW, calendar=CAL, due_soon_workdays=5, draft=False
            )
        )
    chart, times["chart"] = timed(lambda: status_chart_png(figures))
    _, times["md"] = timed(lambda: (out / "r.md").write_text(render_markdown(figures, version=1, chart_file="r.png")))
    _, times["html"] = timed(lambda: (out / "r.html").write_text(render_html(figures, version=1, chart_png=chart)))
    _, times["docx"] = timed(lambda: render_docx(figures, version=1, chart_png=chart, path=out / "r.docx"))
    _, times["xlsx"] = timed(lambda: render_xlsx(figures, version=1, chart_png=chart, path=out / "r.xlsx"))
    return times


def show(label: str, times: dict[str, float]) -> None:
    total = sum(times.values())
    parts = ", ".join(f"{k} {v:.3f} s" for k, v in times.items())
    print(f"{label}: {parts}; all four formats with figures and chart {total:.2f} s", flush=True)


def province(engine: Engine, plans: int) -> None:
    seed = yaml.safe_load((ROOT / "plans" / "tra-cu-2023.yaml").read_text(encoding="utf-8"))
    rng = random.Random(7)
    for n in range(plans):
        data = {**seed, "plan": {**seed["plan"], "code": f"huyen-{n:03d}", "title": f"{seed['plan']['title']} ({n})"}}
        with session_factory(engine).begin() as session:
            load_plan(
                session,
                plan_file=PlanFile.model_validate(data),
                sha256=str(n),
                now=NOW,
                calendar=CAL,
                support_lead_workdays=3,
            )
            plan = session.scalars(select(Plan).where(Plan.code == f"huyen-{n:03d}")).one()
            events, submitted = [], []
            for occ_id, due, status in session.execute(
                select(Occurrence.id, Occurrence.due_on, Occurrence.status).where(Occurrence.plan_id == plan.id)
            ):
                if status == "open" and rng.random() < 0.75:
                    at = dt.datetime.combine(due + dt.timedelta(days=rng.randint(-5, 8)), dt.time(3), tzinfo=dt.UTC)
                    events.append(
                        {
                            "occurrence_id": occ_id,
                            "at": at,
                            "actor": "bench",
                            "from_status": "open",
                            "to_status": "submitted",
                            "note": None,
                        }
                    )
                    submitted.append({"id": occ_id, "at": at})
            if events:
                session.execute(insert(StatusEvent), events)
                for row in submitted:
                    session.execute(
                        update(Occurrence)
                        .where(Occurrence.id == row["id"])
                        .values(status="submitted", submitted_at=row["at"], status_changed_at=row["at"])
                    )
            targets = session.scalars(select(Target).where(Target.plan_id == plan.id)).all()
            units = session.scalars(select(Unit).join(Unit.body).where(Unit.body.has(plan_id=plan.id))).all()
            values = []
            for target in targets:
                scopes = [(u.id, u.code) for u in units] if not target.unit.startswith("%") else [(None, "-")]
                for period in PERIODS:
                    for unit_id, scope in scopes:
                        values.append(
                            {
                                "plan_id": plan.id,
                                "target_id": target.id,
                                "unit_id": unit_id,
                                "scope": scope,
                                "period": period,
                                "version": 1,
                                "value": rng.uniform(1, 90),
                                "reported_by": "bench",
                                "reported_at": NOW,
                                "source": "bench",
                                "note": None,
                            }
                        )
            session.execute(insert(IndicatorValue), values)
        if (n + 1) % 20 == 0:
            print(f"  province: {n + 1} plans loaded", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        with fresh_database(args.database, out) as engine:
            load_seed(engine)
            result, seconds = timed(
                lambda: simulate(
                    session_factory(engine),
                    start=dt.date(2023, 2, 24),
                    end=dt.date(2023, 12, 31),
                    submit_rate=0.15,
                    seed=3,
                    book=ChannelBook(),
                    config=SweepConfig(calendar=CAL, dashboard_url="http://x"),
                    worker="b",
                )
            )
            print(
                f"seed plan: a simulated year ({result.sent} messages, {result.submitted} submissions) in "
                f"{seconds:.1f} s",
                flush=True,
            )
            show("seed plan, annual report 2023", per_format(engine, "tra-cu-2023", out))
        with fresh_database(args.database, out) as engine:
            _, seconds = timed(lambda: province(engine, args.plans))
            with session_factory(engine)() as session:
                occurrences = session.query(Occurrence).count()
                values = session.query(IndicatorValue).count()
            print(
                f"province: {args.plans} plans, {occurrences:,} occurrences, {values:,} indicator values, "
                f"built in {seconds:.1f} s",
                flush=True,
            )
            show(f"province ({args.plans} plans), one plan's annual report", per_format(engine, "huyen-050", out))
            totals = [sum(per_format(engine, f"huyen-{n:03d}", out).values()) for n in range(args.plans)]
            print(
                f"province: all {args.plans} plans' annual reports, four formats each: {sum(totals):.1f} s "
                f"({sum(totals) / len(totals):.2f} s per plan)",
                flush=True,
            )


if __name__ == "__main__":
    main()
