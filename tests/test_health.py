"""The overview says whether this morning's sweeps ran: each body's last sweep (wall clock, Vietnam time), what it
queued and sent, and its next run from the deployments' schedules."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models.outbox import SweepRun
from tasks.calendar.workdays import WorkCalendar
from tasks.reminders.health import daily_times, next_run
from tests.test_sweep import at, run
from tests.web_support import make_app, signed_in

VN = dt.timezone(dt.timedelta(hours=7))


def test_the_overview_shows_each_body_last_and_next_sweep(
    database_url: str, engine: Engine, db: Session, people: None
) -> None:
    report = run(engine, at(2023, 7, 10, 7, 30), body="ldtbxh")
    saved = db.scalars(select(SweepRun)).one()
    db.commit()
    assert saved.body_code == "ldtbxh" and saved.queued == report.queued + report.digests
    page = signed_in(make_app(database_url), "office").client.get("/").text
    section = page.split('id="health"', 1)[1]
    rows = re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", section)
    by_name = {name.strip(): last.strip() for name, last in rows}
    ran = saved.finished_at.astimezone(VN).strftime("%H:%M %d/%m/%Y")
    assert by_name["Phòng LĐTBXH"].startswith(ran)
    assert by_name["Phòng Y tế"] == "chưa chạy lần nào"
    assert "07:30" in section  # the next morning's run, from prefect.yaml


def test_the_next_run_skips_days_off() -> None:
    times = daily_times(
        [
            {"entrypoint": "flows/body_sweep.py:body_sweep", "parameters": {"body_code": "yte"},
             "schedules": [{"cron": "30 7 * * *", "timezone": "Asia/Ho_Chi_Minh"}]},
            {"entrypoint": "flows/sweep_all.py:sweep_all", "schedules": [{"cron": "0 8 * * *"}]},
            {"entrypoint": "flows/compile_report.py:compile_report_flow", "schedules": [{"cron": "0 8 15 * *"}]},
        ]
    )  # fmt: skip
    assert times == {"yte": dt.time(7, 30), "": dt.time(8, 0)}
    friday_noon = dt.datetime(2023, 7, 14, 12, 0, tzinfo=VN)
    assert next_run(dt.time(7, 30), wall=friday_noon, calendar=WorkCalendar()) == dt.datetime(
        2023, 7, 17, 7, 30, tzinfo=VN
    )
