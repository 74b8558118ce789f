"""``--format junit``: JUnit XML for CI dashboards (Jenkins, GitLab, Azure Pipelines).

One ``<testsuite>`` per checked file (named by its path) and one ``<testcase>`` per finding,
named ``CODE rule (line:col)`` with the file as ``classname``, holding a ``<failure>`` whose
``message`` is the finding's message and whose body is the text-format line plus its related
locations. A file without findings gets one passing test case named ``redline``, so that
clean files count as passed tests; a file that could not be checked gets one test case
with an ``<error>``. Every finding is a failure, whatever its severity (``type`` says which).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from redline.findings import Finding
from redline.output import OutputOptions
from redline.output.positions import lines_for, related_path
from redline.results import FileError, FileResult, RunResult

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(run: RunResult, options: OutputOptions) -> str:
    suites = [_file_suite(run, result) for result in run.files]
    suites += [_error_suite(error) for error in run.errors]
    failures = sum(len(result.findings) for result in run.files)
    root = _element(
        "testsuites",
        name="redline",
        tests=str(sum(int(s.get("tests", "0")) for s in suites)),
        failures=str(failures),
        errors=str(len(run.errors)),
    )
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _file_suite(run: RunResult, result: FileResult) -> ET.Element:
    count = max(1, len(result.findings))
    suite = _element(
        "testsuite", name=result.path, tests=str(count), failures=str(len(result.findings)), errors="0"
    )
    if not result.findings:
        suite.append(_element("testcase", name="redline", classname=result.path))
    for finding in result.findings:
        suite.append(_finding_case(run, result, finding))
    return suite


def _finding_case(run: RunResult, result: FileResult, finding: Finding) -> ET.Element:
    line, column = result.document.lines.position(finding.start)
    case = _element(
        "testcase", name=f"{finding.code} {finding.rule} ({line}:{column})", classname=result.path
    )
    body = [f"{result.path}:{line}:{column}: {finding.code} {finding.message}"]
    for related in finding.related:
        related_line, related_column = lines_for(run, result, related).position(related.start)
        note = f": {related.message}" if related.message else ""
        body.append(f"related: {related_path(result, related)}:{related_line}:{related_column}{note}")
    failure = _element("failure", message=finding.message, type=f"{finding.code} {finding.severity.label}")
    failure.text = _clean("\n".join(body))
    case.append(failure)
    return case


def _error_suite(error: FileError) -> ET.Element:
    suite = _element("testsuite", name=error.path, tests="1", failures="0", errors="1")
    case = _element("testcase", name="redline", classname=error.path)
    case.append(_element("error", message=str(error)))
    suite.append(case)
    return suite


def _element(tag: str, **attributes: str) -> ET.Element:
    return ET.Element(tag, {key: _clean(value) for key, value in attributes.items()})


def _clean(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)
