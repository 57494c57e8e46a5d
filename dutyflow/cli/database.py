"""Whether the configured database exists yet, told without connecting (a SQLite connection makes the file)."""

from __future__ import annotations

from pathlib import Path


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names when it does not exist yet; None for any other database, an in-memory one,
    a file that is there, or one whose folder is missing (that is a database out of reach, said as such)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database or ""
    if name in ("", ":memory:") or name.startswith("file:") or parsed.query.get("mode") == "memory":
        return None
    path = Path(name)
    return None if path.exists() or not path.absolute().parent.is_dir() else path
