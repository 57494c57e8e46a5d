"""Reads YAML into plain data while remembering the line of every value, refusing what YAML lets slip."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[str | int, ...]
MAX_NODES = 200_000  # an alias bomb expands far past this; a real plan stays far below


@dataclass(frozen=True)
class SourceIssue:
    """A problem found while reading: where (line, loc) and what (a message code and its params)."""

    line: int
    loc: Loc
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinedData:
    """The parsed data and the 1-based line of each location in it."""

    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that has one."""
        for cut in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:cut]))
            if line is not None:
                return line
        return 1


class _TooBig(Exception):
    pass


def decode_utf8(raw: bytes) -> tuple[str | None, SourceIssue | None]:
    """The text of `raw`, or the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, SourceIssue(line, (), "source.not_utf8", {"offset": error.start})


def load_yaml(text: str) -> tuple[LinedData | None, list[SourceIssue]]:
    """Parse `text`: syntax errors, duplicate keys, bad scalars and oversized expansions are issues."""
    if not text.strip():
        return None, [SourceIssue(1, (), "source.empty")]
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return None, [SourceIssue(line, (), "source.yaml_syntax", {"problem": str(error.problem or error)})]
    except yaml.YAMLError as error:
        return None, [SourceIssue(1, (), "source.yaml_syntax", {"problem": str(error)})]
    finally:
        loader.dispose()
    if root is None:
        return None, [SourceIssue(1, (), "source.empty")]
    issues: list[SourceIssue] = []
    lines: dict[Loc, int] = {}
    budget = [MAX_NODES]
    try:
        data = _convert(root, (), loader, lines, issues, budget)
    except _TooBig:
        return None, [SourceIssue(root.start_mark.line + 1, (), "source.too_many_nodes", {"limit": MAX_NODES})]
    return LinedData(data, lines), issues


def _convert(
    node: yaml.Node,
    loc: Loc,
    loader: yaml.SafeLoader,
    lines: dict[Loc, int],
    issues: list[SourceIssue],
    budget: list[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    line = node.start_mark.line + 1
    lines.setdefault(loc, line)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loc, loader, issues)
            if not isinstance(key, str | int):
                issues.append(SourceIssue(key_node.start_mark.line + 1, loc, "source.bad_key"))
                continue
            if key in result:
                issues.append(SourceIssue(key_node.start_mark.line + 1, (*loc, key), "source.duplicate_key"))
                continue
            lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*loc, key), loader, lines, issues, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*loc, index), loader, lines, issues, budget) for index, item in enumerate(node.value)]
    return _scalar(node, loc, loader, issues)


def _scalar(node: yaml.Node, loc: Loc, loader: yaml.SafeLoader, issues: list[SourceIssue]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        issues.append(SourceIssue(node.start_mark.line + 1, loc, "source.bad_key"))
        return None
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError) as error:
        issues.append(
            SourceIssue(
                node.start_mark.line + 1, loc, "source.bad_scalar", {"value": node.value, "problem": str(error)}
            )
        )
        return node.value
