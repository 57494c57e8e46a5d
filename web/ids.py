"""Ids in paths: a whole number the database can hold; anything else names nothing (404, never a 500)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1  # the largest BIGINT (SQLite's INTEGER); larger ids would overflow the driver

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
