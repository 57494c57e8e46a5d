"""The Prefect side: prefect.yaml's deployments point at real flows, and the task body works without a server."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import yaml
from prefect import Flow
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dutyflow.settings import get_settings
from models import Occurrence
from tasks.plan_loading import LoadSummary

from .conftest import ROOT


def test_every_deployment_in_prefect_yaml_names_a_flow_on_working_mornings_in_vietnam() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["deployments"]
    for deployment in config["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, name), Flow)
        assert all(s["timezone"] == "Asia/Ho_Chi_Minh" for s in deployment["schedules"])


def test_the_morning_task_generates_what_is_missing_and_nothing_twice(
    db: Session, loaded: LoadSummary, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.generate_occurrences import generate_for_all_plans

    monkeypatch.setenv("DUTYFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        before = db.scalar(select(func.count()).select_from(Occurrence))
        db.commit()  # end this reader's transaction: on SQLite writers queue behind it
        created = generate_for_all_plans.fn(dt.datetime(2023, 5, 2, 23, 0, tzinfo=dt.UTC))
        assert created == {"tra-cu-2023": 0}  # the load already made the whole plan's occurrences
        assert db.scalar(select(func.count()).select_from(Occurrence)) == before
    finally:
        get_settings.cache_clear()
