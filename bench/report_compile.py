"""Compile time of the annual report, per format: the seed plan after a simulated year, and a province.

    .venv/bin/python -m bench.report_compile [--plans 100] [--database sqlite|postgresql] [--runs 3] [--clock wall|cpu]
        [--one-only]

Province: `--plans` copies of the seed plan (17 bodies each) in one database, each with a year of
occurrences, statuses and indicator values (per commune for counts). Goal: the four formats of a
province report in <= 10 s, one plan's report in <= 0.4 s. Printed for one plan: figures, chart, each format
and the total, the baseline (the rendering before issue 14, bench/report_baseline.py) first and the ratios;
then all plans in turn. The parallel fan-out over workers is flows/compile_report.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import Engine, insert, select, update

from bench.common import fresh_database, load_seed, timed
from bench.report_baseline import per_cell_docx, pyplot_chart_png
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
T = TypeVar("T")
PERIODS = (
    [f"2023-{m:02d}" for m in range(1, 13)]
    + [f"2023-Q{q}" for q in range(1, 5)]
    + ["2023-H1", "2023-H2", "2023-9M", "2023"]
)


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
CLOCK = ["wall"]  # --clock: CPU time of this process reads steadier on a machine shared with other work


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    clock = CLOCKS[CLOCK[0]]
    start = clock()
    result = work()
    return result, clock() - start


def _figures(engine: Engine, plan_code: str) -> tuple[dict[str, Any], float]:
    with session_factory(engine)() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        return _timed(
            lambda: compute_figures(
                session, plan=plan, period=YEAR, now=NOW, calendar=CAL, due_soon_workdays=5, draft=False
            )
        )


def per_format(
    engine: Engine, plan_code: str, out: Path, chart: Callable[[dict[str, Any]], bytes] = status_chart_png
) -> dict[str, float]:
    """One report: its figures, its chart (drawn once, used by html, docx and xlsx), then each format."""
    times: dict[str, float] = {}
    figures, times["figures"] = _figures(engine, plan_code)
    png, times["chart"] = _timed(lambda: chart(figures))
    _, times["md"] = _timed(lambda: (out / "r.md").write_text(render_markdown(figures, version=1, chart_file="r.png")))
    _, times["html"] = _timed(lambda: (out / "r.html").write_text(render_html(figures, version=1, chart_png=png)))
    _, times["docx"] = _timed(lambda: render_docx(figures, version=1, chart_png=png, path=out / "r.docx"))
    _, times["xlsx"] = _timed(lambda: render_xlsx(figures, version=1, chart_png=png, path=out / "r.xlsx"))
    return times


def best_of(runs: int, measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Each step's best time over `runs` runs (the first run of a process also pays for imports and caches)."""
    measured = [measure() for _ in range(runs)]
    return {step: min(m[step] for m in measured) for step in measured[0]}


def show(label: str, times: dict[str, float], baseline: dict[str, float] | None = None) -> None:
    total = sum(times.values())
    parts = ", ".join(f"{k} {v:.3f} s" for k, v in times.items())
    print(f"{label}: {parts}; all four formats with figures and chart {total:.3f} s", flush=True)
    if baseline is not None:
        ratios = ", ".join(f"{k} x{baseline[k] / max(v, 1e-9):.1f}" for k, v in times.items())
        print(f"  against the baseline (before issue 14): {ratios}; in total x{sum(baseline.values()) / total:.1f}")


def compare(label: str, engine: Engine, plan_code: str, out: Path, runs: int) -> None:
    """The same report rendered the old way (per-cell DOCX tables, pyplot chart), then the current way."""
    with per_cell_docx():
        baseline = best_of(runs, lambda: per_format(engine, plan_code, out, chart=pyplot_chart_png))
    show(f"{label}, baseline", baseline)
    show(f"{label}, now", best_of(runs, lambda: per_format(engine, plan_code, out)), baseline)


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
    parser.add_argument("--runs", type=int, default=3, help="runs of one report, the best of each step printed")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall", help="time measured for one report")
    parser.add_argument("--one-only", action="store_true", help="skip compiling every plan of the province in turn")
    args = parser.parse_args()
    CLOCK[0] = args.clock
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
            compare("seed plan, annual report 2023", engine, "tra-cu-2023", out, args.runs)
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
            middle = f"huyen-{args.plans // 2:03d}"
            compare(f"province ({args.plans} plans), one plan's annual report", engine, middle, out, args.runs)
            if args.one_only:
                return
            totals = [sum(per_format(engine, f"huyen-{n:03d}", out).values()) for n in range(args.plans)]
            print(
                f"province: all {args.plans} plans' annual reports, four formats each: {sum(totals):.1f} s "
                f"({sum(totals) / len(totals):.2f} s per plan)",
                flush=True,
            )


if __name__ == "__main__":
    main()
