"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::warning file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::MESSAGE``; errors become
``::error``, info findings ``::notice``. End columns are exclusive. Related locations follow
the message on lines of their own. Values are escaped as the Actions runner expects:
``%``, CR and LF everywhere, and ``:`` and ``,`` in properties too. Other control
characters (an escape sequence in the document) are shown as ``\x1b``-style escapes,
since the log viewer renders ANSI sequences.
"""

from __future__ import annotations

from redline.findings import Finding, Severity
from redline.output import OutputOptions
from redline.output.escape import visible
from redline.output.positions import lines_for, related_path
from redline.results import FileResult, RunResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(run: RunResult, options: OutputOptions) -> str:
    out = [annotation(run, result, finding) for result in run.files for finding in result.findings]
    for error in run.errors:
        where = {"file": error.path, **({"line": str(error.line)} if error.line else {})}
        out.append(command("error", where, error.message))
    return "".join(line + "\n" for line in out)


def annotation(run: RunResult, result: FileResult, finding: Finding) -> str:
    lines = result.document.lines
    line, column = lines.position(finding.start)
    end_line, end_column = lines.position(finding.end)
    properties = {
        "file": result.path,
        "line": str(line),
        "col": str(column),
        "endLine": str(end_line),
        "endColumn": str(end_column),
        "title": f"{finding.code} {finding.rule}",
    }
    message = [finding.message]
    for related in finding.related:
        related_line, related_column = lines_for(run, result, related).position(related.start)
        note = f": {related.message}" if related.message else ""
        message.append(f"related: {related_path(result, related)}:{related_line}:{related_column}{note}")
    return command(COMMANDS[finding.severity], properties, "\n".join(message))


def command(name: str, properties: dict[str, str], message: str) -> str:
    props = ",".join(f"{key}={escape_property(visible(value))}" for key, value in properties.items())
    lines = message.split("\n")  # the line breaks between related locations are the format's own
    return f"::{name} {props}::{escape_data(chr(10).join(visible(line) for line in lines))}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
