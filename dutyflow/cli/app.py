"""The root of the `dutyflow` command; the language is chosen before any help text is built."""

import os
import sys
import unicodedata
from typing import Annotated

import typer
from pydantic import ValidationError
from typer import _click

from dutyflow.cli import calendar, click_words, cluster, demo, duty, messages, people, plan, reports, serve, web
from dutyflow.cli.common import err, out, settings, transaction
from dutyflow.cli.errors import EXIT_OPERATIONAL, debug_wanted, describe
from dutyflow.i18n import available_locales, set_locale, t


def build_app() -> typer.Typer:
    app = typer.Typer(
        help=t("app.help"),
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def root(
        lang: Annotated[str | None, typer.Option("--lang", help=t("app.lang"))] = None,
        debug: Annotated[bool, typer.Option("--debug", help=t("app.debug"))] = False,
    ) -> None:
        """Language and --debug are read by `main` before this runs; the options are declared for --help."""

    plan.register(app)
    calendar.register(app)
    duty.register(app)
    messages.register(app)
    demo.register(app)
    reports.register(app)
    serve.register(app)
    web.register(app)
    people.register(app)
    cluster.register(app)

    db_app = typer.Typer(help=t("db.help"), no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade", help=t("db.upgrade.help"))
    def upgrade() -> None:
        from dutyflow.runtime import masked_url

        with transaction():
            pass
        out.print(t("db.done", url=masked_url(settings().database_url)), markup=False)

    return app


def _locale_from_argv(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    # Arguments in NFC, as the database keeps text: a commune's name typed with decomposed accents still matches.
    given = sys.argv[1:] if argv is None else argv
    args = [arg if os.path.exists(arg) else unicodedata.normalize("NFC", arg) for arg in given]
    try:
        configured = settings().lang
    except ValidationError as error:
        err.print(f"DUTYFLOW_* settings: {error}", markup=False)
        raise SystemExit(2) from error
    chosen = _locale_from_argv(args) or configured
    if chosen not in available_locales():
        err.print(f"--lang: {chosen} ∉ {', '.join(available_locales())}", markup=False)
        raise SystemExit(2)
    set_locale(chosen)
    click_words.install()
    debug, args = debug_wanted(args)
    try:
        # Not standalone: Click's usage errors come back here, to be said in words.
        code = build_app()(args, prog_name="dutyflow", standalone_mode=False)
    except _click.exceptions.ClickException as error:
        click_words.show_usage_error(error)
        raise SystemExit(error.exit_code) from None
    except typer.Abort:
        err.print(t("click.aborted"), markup=False)
        raise SystemExit(1) from None
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as error:
        if debug:
            raise
        err.print(f"{t('error.prefix')}: {describe(error)}. {t('error.debug_hint')}", markup=False)
        raise SystemExit(EXIT_OPERATIONAL) from None
    if isinstance(code, int) and code:  # a command's typer.Exit(code), returned when not standalone
        raise SystemExit(code)


if __name__ == "__main__":
    main()
