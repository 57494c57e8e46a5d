"""Ids in paths: a whole number the database can hold; anything else names nothing (404, never a 500). A body
is named by its id or its code."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from tasks.duties.actions import MAX_ID  # the largest id a column holds; larger would overflow the driver

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyRef = Annotated[str, Path(min_length=1, max_length=64, description="a body's id or code")]
