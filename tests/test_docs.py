"""The documentation: the README is a front page, and the MkDocs site builds strictly."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_is_a_front_page() -> None:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    assert len(lines) < 250


def test_readme_and_docs_name_no_machine_paths() -> None:
    texts = [ROOT / "README.md", ROOT / "bench" / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for path in texts:
        assert not re.search(r"/work/|/home/|/root/", path.read_text("utf-8")), path


def test_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)\)", readme)
    assert targets
    for target in targets:
        assert (ROOT / target).exists(), target


@pytest.mark.slow
def test_mkdocs_builds_strictly(tmp_path: Path) -> None:
    if shutil.which("mkdocs") is None:
        pytest.fail("mkdocs is not installed (it is in the test extra)")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reference = (tmp_path / "site" / "reference" / "index.html").read_text("utf-8")
    assert 'id="rl101"' in reference
    assert "redundancy.repeated-sentence" in reference
