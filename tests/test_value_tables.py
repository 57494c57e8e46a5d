"""Indicator value tables (CSV, XLSX): every row checked, a bad row refuses the whole file naming row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Plan, Target
from tasks.plans.loading import LoadSummary
from tasks.reports.indicators import ValuesRefused
from tasks.reports.tables import import_table

from .test_reports import AFTER_H1


@pytest.mark.parametrize(
    ("content", "issue", "row", "column"),
    [
        ("chỉ tiêu,đơn vị,kỳ,giá trị\nno-such-target,,2023-H1,5\n", "indicator.unknown_target", 2, "target"),
        ("target,unit,period,value\njobs-created,Xã Không Có,2023-H1,5\n", "indicator.unknown_unit", 2, "unit"),
        (
            "target,unit,period,value\njobs-created,,2023-H1,1\njobs-created,,2023-H1,-3\n",
            "indicator.negative",
            3,
            "value",
        ),
        ('target,unit,period,value\ntrained-rate,,2023-H1,"101,5"\n', "indicator.over_100", 2, "value"),
        ("target,unit,period,value\njobs-created,,2023-H7,5\n", "indicator.bad_period", 2, "period"),
        ("target,unit,period,value\njobs-created,,2023-H1,nhiều\n", "indicator.not_a_number", 2, "value"),
        ("target,unit,value\njobs-created,,5\n", "table.missing_column", 1, None),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(
    db: Session, loaded: LoadSummary, tmp_path: Path, content: str, issue: str, row: int, column: str | None
) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_text(content, encoding="utf-8")
    plan = db.scalars(select(Plan)).one()
    with pytest.raises(ValuesRefused) as refused:
        import_table(db, plan=plan, path=path, by="A", now=AFTER_H1, allocations=False)
    db.rollback()
    assert [(i.code, i.row, i.column) for i in refused.value.issues] == [(issue, row, column)]
    assert db.scalars(select(Target)).first() is not None
    from models import IndicatorValue

    assert db.scalars(select(IndicatorValue)).first() is None  # nothing saved from that file


def test_an_xlsx_table_is_read_with_its_numbers(db: Session, loaded: LoadSummary, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Chỉ tiêu", "Đơn vị", "Kỳ", "Giá trị"])
    sheet.append(["jobs-created", "Xã Hàm Giang", "2023-H1", 120])
    sheet.append(["jobs-created", "Thị trấn Định An", "2023-H1", 80.0])
    sheet.append(["jobs-created", "Kim Sơn", "2023-H1", 1])  # a short name, when only one unit has it
    path = tmp_path / "so-lieu.xlsx"
    workbook.save(path)
    plan = db.scalars(select(Plan)).one()
    assert import_table(db, plan=plan, path=path, by="A", now=AFTER_H1, allocations=False) == 3
    sheet.append(["jobs-created", "Định An", "2023-H1", 1])  # the town or the commune? refused, both named
    workbook.save(path)
    with pytest.raises(ValuesRefused) as refused:
        import_table(db, plan=plan, path=path, by="A", now=AFTER_H1, allocations=False)
    (issue,) = refused.value.issues
    assert (issue.code, issue.row, issue.column) == ("indicator.ambiguous_unit", 5, "unit")
    assert issue.params["candidates"] == "Thị trấn Định An / Xã Định An"


def test_an_allocation_without_a_commune_is_refused_at_its_row(
    db: Session, loaded: LoadSummary, tmp_path: Path
) -> None:
    path = tmp_path / "phu-luc.csv"
    path.write_text("chỉ tiêu,đơn vị,giá trị\njobs-created,xa-kim-son,1.200\njobs-created,,800\n", encoding="utf-8")
    plan = db.scalars(select(Plan)).one()
    with pytest.raises(ValuesRefused) as refused:
        import_table(db, plan=plan, path=path, by="A", now=AFTER_H1, allocations=True)
    db.rollback()
    assert [(i.code, i.row, i.column) for i in refused.value.issues] == [("indicator.allocation_needs_unit", 3, "unit")]
