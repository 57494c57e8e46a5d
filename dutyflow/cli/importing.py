"""`dutyflow plan import FILE` and `dutyflow plan diff A B`."""

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dutyflow.cli.common import fail, out, print_json
from dutyflow.cli.tables import table
from dutyflow.i18n import t

if TYPE_CHECKING:
    from tasks.importing.summary import ImportSummary

SCREEN = 15  # bodies listed one by one; the rest are counted


def _print_summary(summary: "ImportSummary") -> None:
    """What was found and what needs a person, in one screen."""
    out.print(t("import.summary.bodies", count=len(summary.bodies)), markup=False)
    for order, name, duties in summary.bodies[:SCREEN]:
        out.print(t("import.summary.body", order=order, name=name, duties=duties), markup=False)
    if len(summary.bodies) > SCREEN:
        out.print(t("import.summary.more", count=len(summary.bodies) - SCREEN), markup=False)
    if not summary.concerns:
        out.print(t("import.summary.none"), markup=False)
        return
    out.print(t("import.summary.review", count=len(summary.concerns)), markup=False)
    for concern in summary.concerns[:SCREEN]:
        known = f"import.concern.{concern.what}"
        what = t(known) if known in CONCERNS else f"{concern.what}: {t('import.concern.other')}"
        subject = concern.subject or t("import.concern.plan")
        if concern.line is None:
            out.print(t("import.summary.item", what=what, subject=subject), markup=False)
        else:
            out.print(t("import.summary.at_line", line=concern.line, what=what, subject=subject), markup=False)
    if len(summary.concerns) > SCREEN:
        out.print(t("import.summary.more", count=len(summary.concerns) - SCREEN), markup=False)


CONCERNS = {
    f"import.concern.{what}"
    for what in ("name", "duties", "section", "other_partners", "issued_on", "number", "signer", "issuer")
}


def register(plan_app: typer.Typer, read_or_fail: object) -> None:
    @plan_app.command("import", help=t("plan.import.help"))
    def import_command(
        file: Annotated[Path, typer.Argument(help=t("arg.document"), show_default=False)],
        output: Annotated[Path | None, typer.Option("--out", help=t("opt.draft_out"))] = None,
        code: Annotated[str | None, typer.Option("--code", help=t("opt.plan_code"))] = None,
    ) -> None:
        import yaml

        from dutyflow import runtime
        from tasks.calendar.clock import local_date
        from tasks.importing.document import read_document
        from tasks.importing.draft import draft_plan, review_count
        from tasks.importing.pdf import UnreadableDocument
        from tasks.importing.summary import summarise
        from tasks.plans.file import read_plan_bytes

        if not file.exists():
            fail(t("plan.missing_document", file=str(file)))
        if file.is_dir():
            fail(t("plan.is_folder", file=str(file)))
        if file.suffix.lower() not in (".txt", ".docx", ".md", ".pdf"):
            fail(t("import.bad_file", file=str(file)))
        try:
            document = read_document(file)
        except UnreadableDocument as refused:
            fail(t(refused.code, file=str(file), **refused.params))
        except PermissionError:
            fail(t("plan.not_allowed", file=str(file)))
        except UnicodeDecodeError:
            fail(t("plan.not_text", file=str(file)))
        except (OSError, ValueError, KeyError) as error:
            fail(t("import.unreadable", file=str(file), problem=type(error).__name__))
        draft = draft_plan(document, code=code, today=local_date(runtime.utc_now()))
        text = yaml.safe_dump(draft, allow_unicode=True, sort_keys=False, width=1000)
        header = t("import.header", file=file.name)
        text = "".join(f"# {line}\n" for line in header.splitlines()) + text
        checked = read_plan_bytes(text.encode("utf-8"), name=str(output or "draft.yaml"))
        target = output or file.with_suffix(".draft.yaml")
        target.write_text(text, encoding="utf-8")
        bodies = draft["bodies"]
        out.print(
            t(
                "import.done",
                file=str(target),
                bodies=len(bodies),
                duties=sum(len(b["duties"]) for b in bodies),
                targets=len(draft["targets"]),
                baseline=len(draft["baseline"]),
                review=review_count(draft),
            ),
            markup=False,
        )
        _print_summary(summarise(draft))
        if not checked.ok:
            for issue in checked.issues:
                out.print(
                    f"{issue.file}:{issue.line}: {issue.field_path}: {t(issue.code, **issue.params)}", markup=False
                )
            fail(t("import.invalid", count=len(checked.issues)))

    @plan_app.command("diff", help=t("plan.diff.help"))
    def diff_command(
        left: Annotated[Path, typer.Argument(help=t("opt.file"), show_default=False)],
        right: Annotated[Path, typer.Argument(help=t("opt.file"), show_default=False)],
        as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    ) -> None:
        from tasks.plans.diff import diff_plans

        _, a = read_or_fail(left)  # type: ignore[operator]
        _, b = read_or_fail(right)  # type: ignore[operator]
        found = diff_plans(a, b)
        if as_json:
            print_json({"left": str(left), "right": str(right), "differences": [asdict(d) for d in found]})
        elif not found:
            out.print(t("diff.none"), markup=False)
        else:
            made = table(t("diff.col.section"), t("diff.col.where"), t("diff.col.field"), str(left), str(right))
            for d in found:
                made.add_row(d.section, d.where, d.field, d.left, d.right)
            out.print(made)
            out.print(t("diff.count", count=len(found)), markup=False)
        if found:
            raise typer.Exit(1)
