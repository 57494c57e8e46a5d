"""Text is composed (NFC) wherever it enters, so a name typed with decomposed accents (NFD, as some systems send)
matches the one a person sees; a broken spreadsheet is named as such, never a traceback."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Body, IndicatorValue, StatusEvent, Unit
from tasks.plans.loading import LoadSummary
from tests.conftest import Run
from tests.web_support import make_app, overdue_occurrence, signed_in

ROOT = Path(__file__).resolve().parent.parent


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


def test_a_plan_file_written_decomposed_is_stored_composed(
    cli: Run, database_url: str, tmp_path: Path, db: Session
) -> None:
    plan = tmp_path / "ke-hoach.yaml"
    plan.write_text(nfd((ROOT / "plans" / "tra-cu-2023.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    code, _out, err = cli("plan", "load", str(plan), database_url=database_url)
    assert code == 0, err
    names = [*db.scalars(select(Body.name)), *db.scalars(select(Unit.name))]
    db.commit()
    assert "Phòng Y tế" in names and "Xã Hàm Giang" in names
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_a_decomposed_commune_name_is_found_from_the_cli_and_a_csv(
    cli: Run, database_url: str, db: Session, loaded: LoadSummary, tmp_path: Path
) -> None:
    db.commit()
    code, _out, err = cli(
        "indicator", "report", "jobs-created", "12", "--unit", nfd("Xã Hàm Giang"), "--period", "2023-H1",
        "--by", nfd("Nguyễn Văn A"), database_url=database_url,
    )  # fmt: skip
    assert code == 0, err
    table = tmp_path / "so-lieu.csv"
    table.write_text(nfd("chỉ tiêu,đơn vị,kỳ,giá trị\njobs-created,Thị trấn Định An,2023-H1,8\n"), encoding="utf-8")
    code, _out, err = cli("indicator", "import", str(table), "--by", "B", database_url=database_url)
    assert code == 0, err
    assert len(db.scalars(select(IndicatorValue)).all()) == 2
    assert all(unicodedata.is_normalized("NFC", v.reported_by) for v in db.scalars(select(IndicatorValue)))
    db.commit()


def test_a_form_and_the_api_store_a_decomposed_note_composed(database_url: str, db: Session, people: None) -> None:
    app = make_app(database_url)
    focal = signed_in(app, "yte-focal")
    first, second = overdue_occurrence(db, "yte"), overdue_occurrence(db, "yte")
    note = "Đã gửi báo cáo về Phòng Lao động – Thương binh và Xã hội"
    assert focal.post(f"/occurrences/{first.id}/submit", {"note": nfd(note)}).status_code == 303
    api = focal.client.post(
        f"/api/v1/occurrences/{second.id}/submit", data={"note": nfd(note)}, headers={"X-CSRF-Token": focal.csrf}
    )
    assert api.status_code in (200, 409), api.text  # the second is the same occurrence, already submitted
    notes = db.scalars(select(StatusEvent.note).where(StatusEvent.note.is_not(None))).all()
    db.commit()
    assert notes and all(n == note for n in notes)


def test_a_broken_or_disguised_spreadsheet_is_refused_in_words(
    cli: Run, database_url: str, db: Session, loaded: LoadSummary, tmp_path: Path
) -> None:
    db.commit()
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    renamed = tmp_path / "doi-ten.xlsx"
    renamed.write_text("target,unit,period,value\njobs-created,,2023-H1,5\n", encoding="utf-8")
    for path in (broken, renamed):
        code, out, err = cli("indicator", "import", str(path), "--by", "B", database_url=database_url)
        assert code != 0 and "Traceback" not in out + err
        assert "không phải tệp Excel" in out + err, out + err
