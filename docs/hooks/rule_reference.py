"""MkDocs hook: the rule reference page, generated from the rules themselves.

Each rule's documentation is its class docstring (the text ``redline explain`` prints, whose
``Bad::``/``Good::`` examples run as tests) and its options come from its options dataclass,
so the reference cannot drift from the code.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mkdocs.structure.files import File, Files

from redline.rules import builtin_rules

_EXAMPLE = re.compile(r"^(Bad|Good)::\n\n((?:(?:    .*)?\n)+)", re.MULTILINE)


def _examples_as_fences(text: str) -> str:
    def fence(match: re.Match[str]) -> str:
        body = "\n".join(line[4:] for line in match.group(2).splitlines()).strip("\n")
        return f"**{match.group(1)}**\n\n```text\n{body}\n```\n\n"

    return _EXAMPLE.sub(fence, text + "\n").rstrip() + "\n"


def _default(field: dataclasses.Field[Any]) -> str:
    if field.default is not dataclasses.MISSING:
        value: Any = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "(required)"
    return f"`{value!r}`".replace("|", "\\|")


def rule_reference() -> str:
    lines = [
        "# Rule reference",
        "",
        "Generated from each rule's own documentation and options when the site is built "
        "(`redline explain CODE` prints the same text).",
        "",
        "| code | name | default | severity |",
        "|---|---|---|---|",
    ]
    rules = sorted(builtin_rules(), key=lambda rule: rule.code)
    for rule in rules:
        state = "on" if rule.default_enabled else "off"
        lines.append(
            f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {state} | {rule.default_severity.label} |"
        )
    for rule in rules:
        doc = rule.documentation
        lines += ["", f"## {rule.code}", "", f"`{rule.name}`: {rule.summary}.", ""]
        rest = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
        if rest:
            lines.append(_examples_as_fences(rest))
        fields = dataclasses.fields(rule.Options) if dataclasses.is_dataclass(rule.Options) else ()
        if fields:
            lines += ["| option | default |", "|---|---|"]
            lines += [f"| `{field.name.replace('_', '-')}` | {_default(field)} |" for field in fields]
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "reference.md", content=rule_reference()))
    return files
