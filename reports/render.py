"""Renders one report version into the requested formats, files named after the plan, period and version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports.chart import status_chart_png
from reports.docx_report import render_docx
from reports.text_formats import render_html, render_markdown
from reports.xlsx_report import render_xlsx

FORMATS = ("md", "html", "docx", "xlsx")


def render_report(figures: dict[str, Any], *, version: int, formats: list[str], out_dir: Path) -> dict[str, str]:
    """Write each format into `out_dir`; returns format -> path (Markdown's chart sits beside it as PNG)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    base = f"bao-cao-{figures['plan']['code']}-{figures['period']['token']}-v{version}"
    if figures["draft"]:
        base += "-du-thao"
    chart = status_chart_png(figures)
    written: dict[str, str] = {}
    for fmt in formats:
        path = out_dir / f"{base}.{fmt}"
        if fmt == "md":
            chart_path = out_dir / f"{base}.png"
            chart_path.write_bytes(chart)
            path.write_text(render_markdown(figures, version=version, chart_file=chart_path.name), encoding="utf-8")
        elif fmt == "html":
            path.write_text(render_html(figures, version=version, chart_png=chart), encoding="utf-8")
        elif fmt == "docx":
            render_docx(figures, version=version, chart_png=chart, path=path)
        elif fmt == "xlsx":
            render_xlsx(figures, version=version, chart_png=chart, path=path)
        else:
            raise ValueError(f"unknown format {fmt}")
        written[fmt] = str(path)
    return written
