"""`dutyflow plan import FILE` and `dutyflow plan diff A B`."""

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from dutyflow.cli.common import fail, out, print_json
from dutyflow.i18n import t
from tasks.importing.document import read_document
from tasks.importing.draft import draft_plan, review_count
from tasks.plans.diff import diff_plans
from tasks.plans.file import read_plan_bytes


def register(plan_app: typer.Typer, read_or_fail: object) -> None:
    @plan_app.command("import", help=t("plan.import.help"))
    def import_command(
        file: Annotated[Path, typer.Argument(help=t("arg.document"), show_default=False)],
        output: Annotated[Path | None, typer.Option("--out", help=t("opt.draft_out"))] = None,
        code: Annotated[str | None, typer.Option("--code", help=t("opt.plan_code"))] = None,
    ) -> None:
        if not file.exists() or file.suffix.lower() not in (".txt", ".docx", ".md"):
            fail(t("import.bad_file", file=str(file)))
        try:
            document = read_document(file)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as error:
            fail(t("import.unreadable", file=str(file), problem=type(error).__name__))
        draft = draft_plan(document, code=code)
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
        _, a = read_or_fail(left)  # type: ignore[operator]
        _, b = read_or_fail(right)  # type: ignore[operator]
        found = diff_plans(a, b)
        if as_json:
            print_json({"left": str(left), "right": str(right), "differences": [asdict(d) for d in found]})
        elif not found:
            out.print(t("diff.none"), markup=False)
        else:
            table = Table(t("diff.col.section"), t("diff.col.where"), t("diff.col.field"), str(left), str(right))
            for d in found:
                table.add_row(d.section, d.where, d.field, d.left, d.right)
            out.print(table)
            out.print(t("diff.count", count=len(found)), markup=False)
        if found:
            raise typer.Exit(1)
