"""typer_lazy: plain option values converted without pydantic, exactly as typer's adapters do."""

from __future__ import annotations

import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from typer._adapters import try_build_adapter
from typer.models import OptionInfo
from typer.testing import CliRunner

from redline.cli import app
from redline.typer_lazy import _MISS, plain_value

SRC = str(Path(__file__).resolve().parents[1] / "src")


class Colour(StrEnum):
    red = "red"
    dark_blue = "dark-blue"


CASES: list[tuple[Any, dict[str, Any], Any]] = [
    (str, {}, "RL102"),
    (str, {}, ""),
    (bool, {}, True),
    (bool, {}, False),
    (list[str], {}, ("RL102", "RL103")),
    (list[str], {}, ["a"]),
    (list[str], {}, ()),
    (int, {"min": 0}, "2"),
    (int, {"min": 0}, "0"),
    (int, {"min": 0}, 1),
    (int, {"min": 1, "max": 9}, "9"),
    (Colour, {}, "red"),
    (Colour, {}, "dark-blue"),
    (Colour, {}, Colour.red),
]


@pytest.mark.parametrize(("annotation", "info", "value"), CASES)
def test_plain_values_are_what_typer_adapter_gives(annotation: Any, info: dict[str, Any], value: Any) -> None:
    parameter_info = OptionInfo(**info)
    adapter = try_build_adapter(annotation, parameter_info)
    assert adapter is not None
    expected = adapter.validate_python(value)
    got = plain_value(annotation, parameter_info, value)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("annotation", "info", "value"),
    [
        (int, {"min": 0}, "-1"),
        (int, {"min": 0}, "+2"),
        (int, {"min": 0}, " 2"),
        (int, {"min": 0}, "02"),
        (int, {"min": 0}, "2.0"),
        (int, {"min": 0}, "٣"),  # a digit, not ASCII
        (int, {"min": 1, "max": 9}, "10"),
        (int, {}, True),
        (Colour, {}, "Red"),
        (Colour, {}, "blue"),
        (Path, {}, "a.md"),
        (list[str], {}, "a"),
        (str, {}, 3),
    ],
)
def test_other_values_go_to_typer(annotation: Any, info: dict[str, Any], value: Any) -> None:
    assert plain_value(annotation, OptionInfo(**info), value) is _MISS


def test_errors_still_come_from_typer(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Fine.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--jobs", "-1", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j'" in result.output
    result = runner.invoke(app, ["check", "--format", "yaml", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert "Invalid value for '--format' / '--output-format'" in result.output


def test_a_plain_check_does_not_import_pydantic(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The plan is going ahead.\n", encoding="utf-8")
    code = (
        "import sys; from redline.cli import main\n"
        "try:\n    main(['check', '--no-cache', '-j', '1', '--format', 'json', '--ignore', 'RL102', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print('pydantic' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.md")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stderr.split()[-1] == "False"
    assert '"errors": []' in done.stdout
