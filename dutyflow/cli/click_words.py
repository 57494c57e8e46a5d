"""Click's and Typer's own words ("Usage:", "Options", "No such command"…) in the chosen language.

Typer's core calls gettext's `_()` for its section titles and a few errors; that name is replaced by a lookup in
our catalogue. Click (vendored in Typer as `typer._click`) writes its other words as plain f-strings, so those are
reached where Click allows it: the formatter class of a context (for "Usage:"), the help option's text, and the
usage errors, which `main` catches and prints itself in words (`show_usage_error`)."""

from __future__ import annotations

import re
import sys
from typing import Any

import typer.core
from typer import _click
from typer._click.formatting import HelpFormatter

from dutyflow.i18n import t

# Typer's gettext messages, by their English text.
GETTEXT = {
    "Arguments": "click.arguments",
    "Options": "click.options",
    "Commands": "click.commands",
    "Missing command.": "click.missing_command",
    "No such command {name!r}.": "click.no_such_command",
    "default: {default}": "click.default",
    "required": "click.required",
    "env var: {var}": "click.env_var",
    "(dynamic)": "click.dynamic",
    "Aborted!": "click.aborted",
}

# Click's f-strings, read back: each English pattern and the catalogue key that says it.
_PATTERNS = [
    (r"^No such option: (?P<name>\S+) \(Possible options: (?P<options>.*)\)$", "click.no_such_option_hint"),
    (r"^No such option: (?P<name>\S+)$", "click.no_such_option"),
    (r"^(?P<problem>.*)\. Did you mean (?P<suggestions>.*)\?$", "click.did_you_mean"),
    (r"^No such command '(?P<name>.*)'\.$", "click.no_such_command"),
    (r"^Missing argument '?(?P<name>[^'.]*)'?\.?$", "click.missing_argument"),
    (r"^Missing option '?(?P<name>[^'.]*)'?\.?$", "click.missing_option"),
    (r"^Missing parameter:? '?(?P<name>[^'.]*)'?\.?$", "click.missing_parameter"),
    (r"^Invalid value for (?P<name>.*?): (?P<problem>.*)$", "click.invalid_value_for"),
    (r"^Invalid value: (?P<problem>.*)$", "click.invalid_value"),
    (r"^Option '(?P<name>.*)' requires an argument\.$", "click.needs_value"),
    (r"^Option '(?P<name>.*)' requires (?P<count>\d+) arguments\.$", "click.needs_values"),
    (r"^Option '(?P<name>.*)' does not take a value\.$", "click.takes_no_value"),
    (r"^Got unexpected extra arguments? \((?P<extra>.*)\)$", "click.extra_arguments"),
    (r"^(?:Value )?'?(?P<value>.*?)'? is not a valid (?:integer|float|boolean|int)\.?$", "click.not_a_number"),
    (r"^(?P<value>.+) is not in the range (?P<range>.+)\.$", "click.out_of_range"),
]
MESSAGES = [(re.compile(pattern, re.DOTALL), key) for pattern, key in _PATTERNS]


def in_words(message: str) -> str:
    """One of Click's English messages in the chosen language (itself when it is not one we know)."""
    for pattern, key in MESSAGES:
        found = pattern.match(message)
        if found:
            params = found.groupdict()
            if params.get("problem"):  # "Invalid value for X: <another of Click's messages>"
                params["problem"] = in_words(params["problem"])
            return t(key, **params)
    return message


def _gettext(message: str) -> str:
    key = GETTEXT.get(message)
    return t(key) if key else message


class WordsFormatter(HelpFormatter):
    """Click's help formatter, with "Usage:" in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else t("click.usage") + " ")


_original_help_option = _click.core.Command.get_help_option


def _help_option(self: _click.core.Command, ctx: _click.core.Context) -> Any:
    option = _original_help_option(self, ctx)
    if option is not None:
        option.help = t("click.help")
    return option


def install() -> None:
    """Route the words through the catalogue; each lookup happens when the text is shown, so the language is
    whatever `--lang` chose by then."""
    typer.core._ = _gettext  # type: ignore[attr-defined]
    _click.core.Context.formatter_class = WordsFormatter
    _click.core.Command.get_help_option = _help_option  # type: ignore[method-assign]


def show_usage_error(error: _click.exceptions.ClickException) -> None:
    """What Click prints for a usage error (usage line, a hint, the error), in words."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, _click.exceptions.NoArgsIsHelpError):
        error.show()
        return
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        if ctx.command.get_help_option(ctx) is not None:
            print(t("click.try_help", command=f"{ctx.command_path} {ctx.help_option_names[0]}"), file=sys.stderr)
        print(file=sys.stderr)
    print(f"{t('error.prefix')}: {in_words(error.format_message())}", file=sys.stderr)
