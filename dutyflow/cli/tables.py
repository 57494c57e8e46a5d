"""Tables that read at 80 columns: light borders, few columns by default, every column with `--wide`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from dutyflow.i18n import t

if TYPE_CHECKING:
    from rich.table import Table


WIDE_COLUMNS = 240


def _widen(value: bool) -> bool:
    """Every column asked for: lines may then run past the terminal rather than squeeze columns to nothing."""
    if value:
        from dutyflow.cli.common import err, out

        for console in (out.console, err.console):
            console.width = max(console.width, WIDE_COLUMNS)
    return value


def wide_option() -> Any:
    """`--wide`, made when a command is registered so that its help is in the chosen language."""
    return typer.Option(False, "--wide", help=t("opt.wide"), callback=_widen)


def table(*columns: str, title: str | None = None, keep: tuple[str, ...] = ()) -> Table:
    """A table with a rule under the header and none between columns (two spaces apart). Columns named in
    `keep` are never wrapped nor cut: people copy them into the next command."""
    from rich import box
    from rich.table import Table

    made = Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), title_justify="left"
    )
    for name in columns:
        if name in keep:
            made.add_column(name, no_wrap=True, overflow="ignore", min_width=len(name))
        else:
            made.add_column(name, overflow="fold")
    return made


def unbroken(made: Table, *columns: int) -> None:
    """Short values (dates, numbers) stay on one line."""
    for column in columns:
        made.columns[column].no_wrap = True


def keep_whole(made: Table, column: int, values: list[str]) -> None:
    """The column is as wide as its longest value, so that rich never cuts it to "Phò…"."""
    longest = max((len(v) for v in values), default=0)
    made.columns[column].min_width = max(made.columns[column].min_width or 0, longest)
