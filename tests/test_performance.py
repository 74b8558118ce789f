"""The per-file result cache and ``--jobs``: same findings, less work.

A cache hit must skip parsing and analysis entirely (``parse`` is made to fail to prove
it); any change to the text, the rule options, the version or redline's own code is a
miss; ``--no-cache`` neither reads nor writes. ``--jobs 2`` must print exactly what a
serial run prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import redline
import redline.lint
import redline.result_cache
import redline.settings
from redline.cli import app, with_default_command
from redline.config import Config, RuleSettings
from redline.engine import Linter, LintOptions, RunResult
from redline.fastimport import import_spacy
from redline.selection import CommandLineSettings

DIRTY = "# Notes\n\nRead the the manual before you start.\n"
FIXED = "# Notes\n\nRead the manual before you start.\n"
DOUBLED = "1:6: RL106 Doubled word: 'the' written twice"


def lint(path: Path, cache_dir: Path | None, config: Config | None = None, jobs: int = 1) -> RunResult:
    options = LintOptions(
        command_line=CommandLineSettings(select=["RL101", "RL106", "RL301"]),
        cache_dir=cache_dir,
        use_cache=cache_dir is not None,
        jobs=jobs,
        config=config or Config(root=path.parent),
    )
    linter = Linter(options)
    return linter.lint_paths([str(path)])


def described(result: RunResult) -> list[str]:
    out = []
    for file_result in result.files:
        for finding in file_result.findings:
            line, column = file_result.document.lines.position(finding.start)
            out.append(f"{line - 2}:{column}: {finding.code} {finding.message}")
    return out


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "results").rglob("*.json"))


def test_second_run_is_a_hit_that_skips_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    first = lint(doc, tmp_path / "cache")
    assert described(first) == [DOUBLED]
    assert len(entries(tmp_path / "cache")) == 1
    monkeypatch.setattr(redline.lint, "parse", None)  # any parse would now raise TypeError
    second = lint(doc, tmp_path / "cache")
    assert described(second) == [DOUBLED]
    assert second.files[0].metrics == first.files[0].metrics
    assert second.files[0].document.prose == first.files[0].document.prose


def test_changed_text_is_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    doc.write_text(FIXED, encoding="utf-8")
    assert described(lint(doc, tmp_path / "cache")) == []
    assert len(entries(tmp_path / "cache")) == 2


def test_changed_rule_options_are_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    words = " ".join(f"word{i}" for i in range(50))
    doc.write_text(f"# Notes\n\n{words} end.\n", encoding="utf-8")
    config = Config(root=tmp_path)
    assert [d.split(" ")[1] for d in described(lint(doc, tmp_path / "cache", config))] == ["RL301"]
    config.rules["RL301"] = RuleSettings(options={"max-words": 100})
    assert described(lint(doc, tmp_path / "cache", config)) == []
    assert len(entries(tmp_path / "cache")) == 2


def test_new_version_or_edited_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    monkeypatch.setattr(redline, "__version__", "999.0.0")
    assert described(lint(doc, tmp_path / "cache")) == [DOUBLED]
    assert len(entries(tmp_path / "cache")) == 2
    monkeypatch.setattr(redline.result_cache, "code_fingerprint", lambda: "edited")
    lint(doc, tmp_path / "cache")
    assert len(entries(tmp_path / "cache")) == 3


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    cache_dir = tmp_path / "cache"
    code, _ = run_cli("--no-cache", "--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert code == 1
    assert not cache_dir.exists()
    run_cli("--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert len(entries(cache_dir)) == 1
    calls: list[str] = []
    real_parse = redline.lint.parse

    def counting(path: str, text: str, **kwargs: object) -> object:
        calls.append(path)
        return real_parse(path, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redline.lint, "parse", counting)
    run_cli("--no-cache", "--cache-dir", str(cache_dir), "--select", "RL106", str(doc))
    assert calls == [str(doc)]


def test_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    (entry,) = entries(tmp_path / "cache")
    entry.write_bytes(b"not a pickle")
    assert described(lint(doc, tmp_path / "cache")) == [DOUBLED]


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, with_default_command(list(args)))
    return result.exit_code, result.stdout


def test_jobs_print_what_a_serial_run_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "redline.toml").write_text('select = ["RL1", "RL3"]\n', encoding="utf-8")
    for i in range(6):
        body = DIRTY if i % 2 else FIXED
        (tmp_path / f"doc{i}.md").write_text(body * (i + 1) + "\nIt is is here.\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00broken")
    serial = run_cli("--no-cache", "--format", "json", ".")
    parallel = run_cli("--no-cache", "--format", "json", "--jobs", "2", ".")
    assert serial[0] == parallel[0] == 2  # the unreadable file is an error in both
    assert parallel[1] == serial[1]
    assert '"code": "RL106"' in serial[1]


def test_jobs_zero_means_one_per_cpu() -> None:
    from redline.parallel import worker_count

    assert worker_count(0, 1000) >= 1
    assert worker_count(8, 3) == 3
    assert worker_count(2, 40) == 2


@pytest.mark.slow
def test_spacy_is_imported_without_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from redline.fastimport import import_spacy; import_spacy(); "
        "print('torch' in sys.modules); import torch; print(torch.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "torch"]
    assert import_spacy().blank("en")("It works.")[0].text == "It"


def test_index_finds_what_the_exact_search_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    pytest.importorskip("faiss")
    from redline.embedding import index
    from redline.embedding.index import index_candidate_pairs
    from redline.embedding.neighbours import candidate_pairs

    monkeypatch.setattr(index, "FLAT_MAX_ROWS", 500)  # 3,000 rows: the IVF kind, not the exact one

    rng = np.random.default_rng(7)
    topics = rng.standard_normal((60, 64)).astype(np.float32)
    vectors = (
        topics[rng.integers(0, 60, 3000)] * 0.5 + rng.standard_normal((3000, 64)).astype(np.float32) * 0.1
    )
    for a, b in zip(range(0, 300, 3), range(1500, 1800, 3), strict=True):
        vectors[b] = vectors[a] + rng.standard_normal(64).astype(np.float32) * 0.02
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = candidate_pairs(vectors, 5, 0.95)
    approximate = index_candidate_pairs(vectors, 5, 0.95)
    assert not index.VectorIndex.build(vectors, np.arange(3000)).is_flat
    assert approximate == sorted(approximate)
    assert all(i < j for i, j, _ in approximate)
    found = {(i, j) for i, j, _ in approximate}
    wanted = {(i, j) for i, j, _ in exact}
    assert {(a, b) for a, b in zip(range(0, 300, 3), range(1500, 1800, 3), strict=True)} <= wanted
    assert len(found & wanted) / len(wanted) >= 0.99


def test_index_takes_over_above_the_size_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from redline.embedding import index
    from redline.embedding.neighbours import candidate_pairs

    pytest.importorskip("faiss")
    calls: list[int] = []
    monkeypatch.setattr(index, "INDEX_MIN_ROWS", 10)
    monkeypatch.setattr(index, "index_candidate_pairs", lambda v, k, t: calls.append(len(v)) or [])
    vectors = np.eye(12, dtype=np.float32)
    assert candidate_pairs(vectors, 3, 0.5) == []
    assert calls == [12]


@pytest.mark.slow
def test_onnx_backend_agrees_with_sentence_transformers() -> None:
    import numpy as np

    pytest.importorskip("onnxruntime")
    from redline.embedding.model_source import DEFAULT_MODEL, resolve_model
    from redline.embedding.onnx_backend import load as load_onnx
    from redline.embedding.torch_backend import load as load_torch

    sentences = [
        "The new release improves startup time.",
        "Startup is faster in the new release.",
        "Prices rose in the spring, and the central bank is expected to respond.",
        "x",
    ]
    source = resolve_model(DEFAULT_MODEL)
    onnx = load_onnx(source).encode(sentences)
    torch = load_torch(source).encode(sentences)
    assert onnx.shape == torch.shape == (4, 384)
    assert onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert float((onnx * torch).sum(axis=1).min()) >= 0.999
    from redline.embedding.onnx_backend import load_int8

    int8 = load_int8(source).encode(sentences)
    assert float((int8 * torch).sum(axis=1).min()) >= 0.95


def test_jobs_with_a_cross_file_rule_match_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.findings import Related
    from redline.rules import builtin_rules
    from redline.rules.base import Rule

    class FirstSentences(Rule):
        """First sentence of each file."""

        code = "RL999"
        name = "test.first-sentence"
        cross_file = True

        def check_corpus(self, documents: list, ctx: object) -> dict:  # type: ignore[type-arg]
            firsts = [(d.path, d.sentences[0]) for d in documents if d.sentences]
            return {
                path: [
                    self.finding(
                        s.start,
                        s.end,
                        f"first of {len(firsts)}",
                        related=[Related(o.start, o.end, path=p) for p, o in firsts if p != path],
                    )
                ]
                for path, s in firsts
            }

    monkeypatch.setattr(redline.settings, "builtin_rules", lambda: [*builtin_rules(), FirstSentences()])
    for i in range(4):
        (tmp_path / f"doc{i}.md").write_text(
            f"# Part {i}\n\nRead the the manual {i} times.\n", encoding="utf-8"
        )
    runs = []
    for jobs in (1, 2):
        options = LintOptions(
            command_line=CommandLineSettings(select=["RL106", "RL999"]),
            cross_file=True,
            use_cache=False,
            jobs=jobs,
            config=Config(root=tmp_path),
        )
        linter = Linter(options)
        result = linter.lint_paths([str(tmp_path)])
        runs.append(
            [
                (r.path, f.code, f.start, f.message, [(x.path, x.start) for x in f.related])
                for r in result.files
                for f in r.findings
            ]
        )
    assert runs[0] == runs[1]
    assert [code for _, code, *_ in runs[0]].count("RL999") == 4


def test_old_unused_entries_are_swept(tmp_path: Path) -> None:
    import os
    import time

    from redline.result_cache import ResultCache

    doc = tmp_path / "doc.md"
    doc.write_text(DIRTY, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    doc.write_text(FIXED, encoding="utf-8")
    lint(doc, tmp_path / "cache")
    old, young = entries(tmp_path / "cache")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert ResultCache(tmp_path / "cache").prune() == 1
    assert entries(tmp_path / "cache") == [young]


def test_a_style_only_lint_does_not_import_torch(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "a.md").write_text("The plan is going ahead. It is very important.\n", encoding="utf-8")
    code = (
        "import sys; from redline.cli import main\n"
        "try:\n    main(['check', '--no-cache', '--ignore', 'RL102', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'spacy' in sys.modules, file=sys.stderr)"
    )
    command = [sys.executable, "-c", code, str(tmp_path / "a.md")]
    env = {**os.environ, "REDLINE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("REDLINE_TOKENIZER", None)
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120, env=env)
    assert done.stderr.split()[-2:] == ["False", "False"]  # not even spaCy (tokenize_en.py)
