"""Numbers that are not figures (inf, nan, 1e400, four hundred digits) are refused at every door, naming the
field, and nothing is stored: the indicator page and the report still work afterwards. The CLI reads the same
number formats as the web form and a table (1.234,5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import IndicatorValue, Plan
from tasks.plans.loading import LoadSummary
from tasks.reports.indicators import ValuesRefused
from tasks.reports.tables import import_table
from tests.conftest import Run
from tests.test_reports import AFTER_H1
from tests.web_support import make_app, signed_in

NOT_FIGURES = ["inf", "-inf", "nan", "Infinity", "1e400", "9" * 400]


def _count(db: Session) -> int:
    count = db.scalar(select(func.count()).select_from(IndicatorValue)) or 0
    db.commit()
    return count


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_the_cli_refuses_a_value_that_is_not_a_finite_figure(
    cli: Run, database_url: str, db: Session, loaded: LoadSummary, text: str
) -> None:
    db.commit()
    code, _out, err = cli(
        "indicator", "report", "--period", "2023-H1", "--by", "A", "--", "jobs-created", text, database_url=database_url
    )
    assert code != 0 and "Traceback" not in err
    assert "giá trị" in err  # the field is named
    assert _count(db) == 0


def test_the_cli_reads_vietnamese_numbers_like_the_web_form(
    cli: Run, database_url: str, db: Session, loaded: LoadSummary
) -> None:
    db.commit()
    code, _out, err = cli(
        "indicator", "report", "jobs-created", "1.234,5", "--period", "2023-H1", "--by", "A", database_url=database_url
    )
    assert code == 0, err
    assert db.scalars(select(IndicatorValue.value)).one() == 1234.5
    db.commit()


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_a_csv_or_xlsx_row_that_is_not_a_finite_figure_refuses_the_file(
    db: Session, loaded: LoadSummary, tmp_path: Path, text: str
) -> None:
    from openpyxl import Workbook

    csv = tmp_path / "so-lieu.csv"
    csv.write_text(f"target,unit,period,value\njobs-created,,2023-H1,{text}\n", encoding="utf-8")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["target", "unit", "period", "value"])
    sheet.append(["jobs-created", "", "2023-H1", text])
    xlsx = tmp_path / "so-lieu.xlsx"
    workbook.save(xlsx)
    plan = db.scalars(select(Plan)).one()
    for path in (csv, xlsx):
        with pytest.raises(ValuesRefused) as refused:
            import_table(db, plan=plan, path=path, by="A", now=AFTER_H1, allocations=False)
        db.rollback()
        assert [(i.row, i.column) for i in refused.value.issues] == [(2, "value")], path.name
        assert refused.value.issues[0].code in ("indicator.not_finite", "indicator.too_large")
    assert _count(db) == 0


def test_the_web_form_and_the_api_refuse_a_value_that_is_not_a_finite_figure(
    database_url: str, db: Session, people: None
) -> None:
    app = make_app(database_url)
    office = signed_in(app, "office")
    for text in NOT_FIGURES:
        form = office.client.post(
            "/indicators/report",
            data={"csrf": office.csrf, "target": "jobs-created", "scope": "-", "period": "2023-H1", "value": text},
            follow_redirects=True,
        )
        assert "giá trị" in form.text and form.status_code in (200, 422), text
        api = office.client.post(
            "/api/v1/indicators/values",
            json={"target": "jobs-created", "scope": "-", "period": "2023-H1", "value": text[:32]},
            headers={"X-CSRF-Token": office.csrf},
        )
        assert api.status_code == 422 and "giá trị" in api.json()["detail"], (text, api.text)
    assert _count(db) == 0
    assert office.client.get("/indicators", params={"period": "2023-H1"}).status_code == 200
    assert office.client.get("/api/v1/indicators", params={"period": "2023"}).status_code == 200


def test_a_plan_file_with_an_infinite_target_is_refused(cli: Run, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "plans" / "tra-cu-2023.yaml"
    text = source.read_text(encoding="utf-8").replace("value: 3000,", "value: .inf,", 1)
    assert ".inf" in text
    broken = tmp_path / "plan.yaml"
    broken.write_text(text, encoding="utf-8")
    code, _out, err = cli("plan", "validate", str(broken))
    assert code != 0 and "Traceback" not in err
