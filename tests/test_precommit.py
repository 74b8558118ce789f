"""The pre-commit hook (``.pre-commit-hooks.yaml``) through the real ``pre-commit``.

A temporary project points its ``.pre-commit-config.yaml`` at this checkout: at its HEAD
commit when the working tree is clean (CI's fresh clone), else at a temporary commit of a
copy of the working tree, so that the hook always runs the code under test. pre-commit
builds the hook's virtualenv from PyPI the first time (about a minute; the core install,
no torch); PRE_COMMIT_HOME is one temporary folder shared by every run of this module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

BAD = "# Notes\n\nRead the the manual first.\n"
CLEAN = "# Notes\n\nRead the manual first.\n"


def git(*args: str, cwd: Path) -> str:
    completed = subprocess.run(
        [
            "git",
            "-c",
            "user.name=redline tests",
            "-c",
            "user.email=tests@redline.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def hook_source(scratch: Path) -> tuple[Path, str]:
    """``(repo, rev)`` of the code under test: HEAD if the tree is clean, else a snapshot commit."""
    # --no-optional-locks: a read-only look that does not refresh the checkout's index.
    if not git("--no-optional-locks", "status", "--porcelain", cwd=ROOT):
        return ROOT, git("rev-parse", "HEAD", cwd=ROOT)
    copy = scratch / "redline-working-tree"
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("commit", "-q", "--no-verify", "-m", "working tree under test", cwd=copy)
    return copy, git("rev-parse", "HEAD", cwd=copy)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or shutil.which("pre-commit") is None:
        pytest.skip("needs git and pre-commit (pip install -e '.[test]')")
    scratch = tmp_path_factory.mktemp("precommit")
    repo, rev = hook_source(scratch)
    project = scratch / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: redline\n", encoding="utf-8"
    )
    (project / "bad.md").write_text(BAD, encoding="utf-8")
    (project / "clean.md").write_text(CLEAN, encoding="utf-8")
    (project / "clean.txt").write_text("Plain text, written once.\n", encoding="utf-8")
    (project / "script.py").write_text("# the the\n", encoding="utf-8")
    git("add", "-A", cwd=project)
    (scratch / "home").mkdir()
    return project


def pre_commit(project: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "home"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT_COLOR", None)
    return subprocess.run(
        ["pre-commit", "run", "--color", "never", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_fails_on_a_bad_file(project: Path) -> None:
    completed = pre_commit(project, "bad.md", "clean.md")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "redline..................................................................Failed" in output
    assert "- exit code: 1" in output
    assert "bad.md:3:6: RL106 Doubled word: 'the' written twice" in output
    assert "Found 1 finding (1 warning) in 1 of 2 files." in output


def test_hook_passes_on_clean_files_and_skips_other_types(project: Path) -> None:
    completed = pre_commit(project, "clean.md", "clean.txt", "script.py")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert output.splitlines() == [
        "redline..................................................................Passed"
    ]


def test_hook_skips_when_no_prose_file_changed(project: Path) -> None:
    completed = pre_commit(project, "script.py")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.splitlines() == [f"redline{'.' * 46}(no files to check)Skipped"]


def test_hook_environment_has_no_torch(project: Path) -> None:
    pre_commit(project, "clean.md")  # installs the hook environment if no test has yet
    environments = list((project.parent / "home").glob("repo*/py_env-*"))
    assert len(environments) == 1, environments
    site_packages = list(environments[0].glob("lib/python3*/site-packages"))
    assert len(site_packages) == 1
    installed = {p.name.lower() for p in site_packages[0].iterdir()}
    assert "spacy" in installed
    assert not {"torch", "sentence_transformers"} & installed
