"""A rule pack published as a Python package: built as a wheel, installed, found by its name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from redline.config import ConfigError, load_config
from redline.packs.installed import GROUP, installed_pack_path, is_pack_name

PACK = """[pack]
name = "acme-style"

[[rule]]
code = "AC101"
name = "acme.no-jargon"
kind = "substitution"
message = "Acme style: write '{replacement}', not '{match}'"
[rule.swap]
"leverage" = "use"
"""

PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "acme-style"
version = "1.0.0"

[project.entry-points."redline.packs"]
acme-style = "acme_style:PACK"
acme-callable = "acme_style:pack_file"
acme-broken = "acme_style:MISSING"

[tool.setuptools]
packages = ["acme_style"]

[tool.setuptools.package-data]
acme_style = ["*.toml"]
"""

INIT = '''"""The Acme house style for redline."""
from pathlib import Path

PACK = "acme.toml"


def pack_file() -> Path:
    return Path(__file__).parent / "acme.toml"
'''


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack package built as a wheel with pip and installed into a folder of its own."""
    pytest.importorskip("setuptools")
    root = tmp_path_factory.mktemp("acme")
    source = root / "src"
    (source / "acme_style").mkdir(parents=True)
    (source / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (source / "acme_style" / "__init__.py").write_text(INIT, encoding="utf-8")
    (source / "acme_style" / "acme.toml").write_text(PACK, encoding="utf-8")
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(root / "dist"), str(source))
    (wheel,) = (root / "dist").glob("acme_style-1.0.0-*.whl")
    target = root / "site"
    _pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel))
    return target


@pytest.fixture
def on_path(installed: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(installed))
    for name in [m for m in sys.modules if m == "acme_style" or m.startswith("acme_style.")]:
        monkeypatch.delitem(sys.modules, name)
    return installed


def test_is_pack_name() -> None:
    assert [is_pack_name(e) for e in ("acme-style", "acme_style.v2", "house.toml", "styles/house", "")] == [
        True,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.slow
def test_installed_pack_is_found_by_name_from_a_path_or_a_function(on_path: Path) -> None:
    expected = on_path / "acme_style" / "acme.toml"
    assert installed_pack_path("acme-style") == expected
    assert installed_pack_path("acme-callable") == expected


@pytest.mark.slow
def test_config_names_the_installed_pack_and_its_rules_run(on_path: Path, tmp_path: Path) -> None:
    (tmp_path / "redline.toml").write_text(
        'rule-packs = ["acme-style"]\nselect = ["acme"]\n', encoding="utf-8"
    )
    (tmp_path / "story.md").write_text("We leverage the data.\n", encoding="utf-8")
    assert load_config(tmp_path / "redline.toml").rule_packs == [on_path / "acme_style" / "acme.toml"]
    done = subprocess.run(
        [sys.executable, "-m", "redline", "story.md", "--quiet", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(on_path), *sys.path])},
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "story.md:1:4: AC101 Acme style: write 'use', not 'leverage'\n",
        "",
    )


@pytest.mark.slow
def test_unknown_or_broken_installed_pack_is_a_config_error_at_its_line(
    on_path: Path, tmp_path: Path
) -> None:
    config = tmp_path / "redline.toml"
    config.write_text('select = ["RL1"]\nrule-packs = ["acme-styel"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert raised.value.line == 2
    assert raised.value.message.startswith(
        "rule-packs: no file or installed pack named 'acme-styel' (did you mean 'acme-style'?); installed packs: "
    )
    config.write_text('rule-packs = ["acme-broken"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert raised.value.message == (
        "rule-packs: installed pack 'acme-broken' (acme_style:MISSING) cannot be loaded: "
        "AttributeError: module 'acme_style' has no attribute 'MISSING'"
    )


def test_a_name_without_an_installed_pack(tmp_path: Path) -> None:
    config = tmp_path / "redline.toml"
    config.write_text('rule-packs = ["no-such-pack-anywhere"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert (raised.value.line, raised.value.message.split(";")[0]) == (
        1,
        "rule-packs: no file or installed pack named 'no-such-pack-anywhere'",
    )
    assert GROUP == "redline.packs"
