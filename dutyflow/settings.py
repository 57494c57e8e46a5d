"""The one settings object: read from the environment (DUTYFLOW_*) and one optional YAML file."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
Locale = Literal["vi", "en"]


class CalendarSettings(BaseSettings):
    """Working-day calendar adjustments that the government announces each year."""

    model_config = SettingsConfigDict(extra="forbid")

    timezone: str = "Asia/Ho_Chi_Minh"
    # Days off announced on top of the public holidays (e.g. a bridge day).
    extra_days_off: list[dt.date] = Field(default_factory=list)
    # Weekend days worked in exchange for a bridge day (the `holidays` package does not know them).
    makeup_working_days: list[dt.date] = Field(default_factory=lambda: [dt.date(2024, 5, 4)])


class Settings(BaseSettings):
    """Everything dutyflow reads from outside. Built once at the edge and passed down."""

    model_config = SettingsConfigDict(env_prefix="DUTYFLOW_", env_nested_delimiter="__", extra="forbid")

    database_url: str = "sqlite:///dutyflow.db"
    lang: Locale = "vi"
    config_file: Path | None = None
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    # A support body's input is due this many working days before the lead's deadline,
    # unless the plan file says otherwise.
    support_lead_workdays: int = Field(default=3, ge=0, le=60)
    # "Due soon" starts this many working days before the due date.
    due_soon_workdays: int = Field(default=5, ge=0, le=60)
    # How far ahead occurrences are generated, counted on their period's start.
    horizon_days: int = Field(default=31, ge=0, le=800)
    max_plan_bytes: int = Field(default=1_048_576, ge=1024)
    # Where each contact's channels are: a YAML file mapping a plan's `contacts:KEY` to Apprise URLs.
    # A contact with no entry receives in the embedded inbox (`inbox://CONTACT`).
    contacts_file: Path | None = None
    # The dashboard's public address: links in messages and calendar feeds point here. Unset, it is where
    # the dashboard listens (web_host, web_port), so a demo on another port links to itself.
    dashboard_url: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=0, le=65535)
    # The embedded Prefect server's port (`dutyflow serve`); unused when PREFECT_API_URL names a server.
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    # `dutyflow cluster`: Prefect's own database (PostgreSQL; by default a `prefect` database on the server of
    # database_url), its Redis (unset: a redis-server of the cluster's own on cluster_redis_port), its files.
    prefect_database_url: str = ""
    redis_url: str = ""
    cluster_redis_port: int = Field(default=6380, ge=1, le=65535)
    cluster_dir: Path = Path(".dutyflow-cluster")
    cluster_workers: int = Field(default=2, ge=1, le=64)
    # Set by `cluster up` for each worker and the runs it starts: recorded with the sweeps and claims they make.
    worker_name: str = Field(default="", max_length=32)
    # Flow runs one worker runs at once (each is a process of its own): about one per core it may use.
    worker_runs: int = Field(default=2, ge=1, le=256)
    # The periodic report's child runs: one batch of plans per run slot online (workers × worker_runs), and at
    # most this many plans in a batch (tasks/reports/batches.py).
    report_batch_plans: int = Field(default=50, ge=1, le=10_000)
    # Seconds between a flow run's heartbeats on the cluster; a run silent for three of them is marked crashed.
    heartbeat_seconds: int = Field(default=30, ge=30, le=3600)
    # Processes of `dutyflow web` (one is enough for a district; more use more cores).
    web_workers: int = Field(default=1, ge=1, le=64)
    # Signs session cookies. Unset, a random key is made once and kept in `web_secret_file` (mode 0600).
    web_secret: SecretStr | None = None
    web_secret_file: Path = Path(".dutyflow-web-secret")
    session_hours: int = Field(default=8, ge=1, le=720)
    # Evidence files sent with a submission: at most this many bytes each.
    evidence_max_bytes: int = Field(default=10_485_760, ge=1024, le=104_857_600)
    # What one person may upload in one Vietnam day, all files together.
    upload_quota_bytes_per_day: int = Field(default=104_857_600, ge=1024)
    reports_dir: Path = Path("reports-out")
    delivery_concurrency: int = Field(default=20, ge=1, le=500)
    max_attempts: int = Field(default=5, ge=1, le=50)
    retry_backoff_seconds: int = Field(default=300, ge=0)
    # A message claimed by a sweep that died is taken up again after this long.
    claim_lease_seconds: int = Field(default=300, ge=1)

    @model_validator(mode="after")
    def _dashboard_where_it_listens(self) -> Settings:
        if not self.dashboard_url.strip():
            host = "127.0.0.1" if self.web_host in ("0.0.0.0", "::", "") else self.web_host
            self.dashboard_url = f"http://{host}:{self.web_port}"
        return self

    @field_validator("database_url")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("database_url must not be empty")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlFileSource(settings_cls))


class _YamlFileSource(PydanticBaseSettingsSource):
    """Reads the optional file named by DUTYFLOW_CONFIG_FILE (lowest priority)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        import os  # the only place besides pydantic-settings that looks at the environment

        path = os.environ.get("DUTYFLOW_CONFIG_FILE")
        if not path:
            return {}
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: the settings file must hold a mapping")
        return data


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once at the edge."""
    return Settings()
