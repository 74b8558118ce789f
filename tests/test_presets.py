"""Genre presets: the preset's settings first, the user's own settings over them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app, with_default_command
from redline.config import Config, ConfigError, RuleSettings, load_config
from redline.findings import Finding, Related, Severity
from redline.impact import impact, sort_by_impact
from redline.rules import Registry, builtin_rules
from redline.selection import CommandLineSettings, active_rules


def options_of(config: Config, cli: CommandLineSettings | None = None) -> dict[str, object]:
    rules = active_rules(config, Registry(builtin_rules()), None, cli or CommandLineSettings())
    return {a.rule.code: a.options for a in rules}


def test_general_is_the_default_and_changes_nothing() -> None:
    active = options_of(Config())
    assert active["RL302"].target == 14.0 and "RL305" in active and "RL103" in active


def test_news_preset_sets_targets_and_turns_the_paragraph_rule_off() -> None:
    active = options_of(Config(preset="news"))
    assert (active["RL302"].target, active["RL303"].target) == (15.0, 20.0)
    assert "RL305" not in active


def test_docs_preset_leaves_templates_alone() -> None:
    active = options_of(Config(preset="docs"))
    assert "RL103" not in active and "RL104" not in active
    assert (active["RL301"].max_words, active["RL301"].include_quotes) == (45, True)


def test_the_users_settings_override_the_preset() -> None:
    config = Config(
        preset="news",
        extend_select=["RL305"],
        rules={"readability.document-grade": RuleSettings(options={"target": 13.0})},
    )
    active = options_of(config)
    assert active["RL302"].target == 13.0 and "RL305" in active
    assert active["RL303"].target == 20.0  # untouched by the user: the preset's


def test_command_line_preset_replaces_the_configs() -> None:
    active = options_of(Config(preset="news"), CommandLineSettings(preset="docs"))
    assert active["RL302"].target == 16.0 and "RL305" in active


def test_an_unknown_preset_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "redline.toml"
    path.write_text('cache = true\npreset = "magazine"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == (
        f"{path}:2: 'preset': unknown preset 'magazine' (expected general, news, docs)"
    )


def test_preset_option_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    long = " ".join(f"w{i}" for i in range(160)) + ".\n"
    (tmp_path / "a.md").write_text(long, encoding="utf-8")
    general = CliRunner().invoke(app, with_default_command(["--no-cache", "--select", "RL305", "a.md"]))
    news = CliRunner().invoke(app, with_default_command(["--no-cache", "--preset", "news", "a.md"]))
    assert "RL305" in general.stdout and "RL305" not in news.stdout


def _finding(code: str, start: int, related: int = 0, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code, "x.y", "m", start, start + 1, severity, [Related(0, 1)] * related)


def test_impact_puts_a_claim_made_five_times_before_a_long_sentence() -> None:
    claim = _finding("RL102", 90, related=4)
    sentence = _finding("RL301", 10)
    slip = _finding("RL106", 5)
    phrase = _finding("RL103", 50, related=5)
    assert sort_by_impact([slip, sentence, phrase, claim]) == [claim, phrase, sentence, slip]
    assert impact(claim) == 29.897 and impact(sentence) == 3.0  # 9 x (1 + log2 5 places)


def test_sort_impact_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = "The the start. " + " ".join(f"w{i}" for i in range(48)) + ".\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    by_position = CliRunner().invoke(
        app, with_default_command(["--no-cache", "--select", "RL106,RL301", "a.md"])
    )
    by_impact = CliRunner().invoke(
        app, with_default_command(["--no-cache", "--select", "RL106,RL301", "--sort", "impact", "a.md"])
    )
    codes = [line.split()[1] for line in by_position.stdout.splitlines() if line.startswith("a.md:")]
    assert codes == ["RL106", "RL301"]
    codes = [line.split()[1] for line in by_impact.stdout.splitlines() if line.startswith("a.md:")]
    assert codes == ["RL301", "RL106"]
