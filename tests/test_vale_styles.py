"""Vale styles and vocabularies as rule packs: tests/data/vale/Acme, written in Vale's format.

Every rule file of the Acme style is exercised on one document with exact codes, lines,
columns and messages; the kinds redline cannot run give a warning that names the file,
the line and the key; bad files are errors that name the file and line.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from helpers import describe, lint_text
from packs_helpers import fixed_text
from redline.config import Config, ConfigError
from redline.findings import Severity
from redline.packs import load_packs
from redline.packs.vale import pack_inputs
from redline.result_cache import _pack_digest

DATA = Path(__file__).parent / "data" / "vale"
STYLE = DATA / "Acme"
VOCAB = DATA / "config" / "vocabularies" / "Acme"

DOC = """\
# Getting Started With Acme Kubernetes

Our SLA is arguably the best. A Service Level Agreement (SLA) binds us.

We utilize javascript in order to ship the the docs! Please e-mail your adviser.
Our advisor, who is somewhat of a expert, appears to be busy.

Apples, pears, plums, figs, and grapes are fruit. It is quite likely fine!

Check the whitelist on mac OS X with HTML and the SDK. Use email and JavaScript.
"""


def lint(text: str, packs: list[Path], select: list[str] | None = None, path: str = "doc.md") -> list[str]:
    config = Config(root=DATA, rule_packs=packs)
    return describe(lint_text(text, path=path, select=select or ["Acme", "Vale"], config=config))


def test_acme_style_and_vocabulary_give_the_matches_their_rules_define() -> None:
    assert lint(DOC, [STYLE, VOCAB]) == [
        # Headings.yml: capitalization, $sentence, scope heading; "Acme" and "Kubernetes" are exceptions.
        "1:3: ACME004 'Getting Started With Acme Kubernetes' should use sentence-style capitalization.",
        # Acronyms.yml: conditional; SLA is used before "Service Level Agreement (SLA)".
        "3:5: ACME001 Spell out 'SLA' the first time you use it.",
        # Hedges.yml: existence tokens, ignorecase.
        "3:12: ACME005 Consider removing 'arguably'.",
        # Wordy.yml: substitution; Vale's message takes the replacement first, then the match.
        "5:4: ACME011 Use 'use' instead of 'utilize'.",
        # Vale.Terms from accept.txt: an accepted term in another case.
        "5:12: VALE002 Use 'JavaScript' instead of 'javascript'.",
        "5:23: ACME011 Use 'to' instead of 'in order to'.",
        # Repeated.yml: repetition; the span covers both words, as Vale's does.
        "5:40: ACME009 'the' is repeated!",
        # Exclamation.yml: existence with raw and nonword; limit: 1 keeps the second one out.
        "5:51: ACME003 Don't use exclamation points in text.",
        "5:61: ACME011 Use 'email' instead of 'e-mail'.",
        # Spelling.yml: consistency; "adviser" came first, so "advisor" is the odd one.
        "6:5: ACME010 Inconsistent spelling of 'advisor'.",
        # "somewhat of a" is an exception of Hedges.yml.
        "6:43: ACME005 Consider removing 'appears to be'.",
        # Commas.yml: occurrence, max 3 per sentence, reported at the sentence's first match.
        "8:7: ACME002 More than three commas in one sentence.",
        "8:57: ACME005 Consider removing 'quite likely'.",
        # Vale.Avoid from reject.txt.
        "10:11: VALE001 Avoid using 'whitelist'.",
        "10:24: VALE001 Avoid using 'mac OS X'.",
        # HTML is an exception of Acronyms.yml; SDK is never spelled out.
        "10:51: ACME001 Spell out 'SDK' the first time you use it.",
    ]


def test_spans_severities_and_links_follow_the_rule_files() -> None:
    config = Config(root=DATA, rule_packs=[STYLE, VOCAB])
    result = lint_text(DOC, select=["Acme.Repeated", "Acme.Exclamation", "Acme.Commas"], config=config)
    (file_result,) = result.files
    spans = [(f.code, DOC[f.start : f.end], f.severity) for f in file_result.findings]
    assert spans == [
        ("ACME009", "the the", Severity.ERROR),
        ("ACME003", "s! ", Severity.ERROR),
        ("ACME002", ",", Severity.INFO),  # level: suggestion
    ]


def test_unsupported_kinds_keys_and_patterns_warn_with_file_line_and_key() -> None:
    seen: list[str] = []
    rules = load_packs([STYLE, VOCAB], warn=seen.append)
    assert seen == [
        f"{STYLE}/Headings.yml:6: key 'threshold' is not supported (redline flags a heading when any "
        "word is off, not a proportion of them); ignored",
        f"{STYLE}/Lookaround.yml:4: 'tokens': invalid pattern 'this(?= is)': invalid perl operator: (?= "
        "(RE2 has no lookaround or backreferences); rule Acme.Lookaround skipped",
        f"{STYLE}/Passive.yml:1: 'extends: sequence' is not supported: sequence rules need Vale's "
        "part-of-speech tagger; rule Acme.Passive skipped",
    ]
    assert [(r.code, r.name) for r in rules] == [
        ("ACME001", "Acme.Acronyms"),
        ("ACME002", "Acme.Commas"),
        ("ACME003", "Acme.Exclamation"),
        ("ACME004", "Acme.Headings"),
        ("ACME005", "Acme.Hedges"),
        ("ACME008", "Acme.Readability"),
        ("ACME009", "Acme.Repeated"),
        ("ACME010", "Acme.Spelling"),
        ("ACME011", "Acme.Wordy"),
        ("VALE001", "Vale.Avoid"),
        ("VALE002", "Vale.Terms"),
    ]


def test_warnings_go_to_python_warnings_without_a_callback() -> None:
    with pytest.warns(UserWarning) as record:
        load_packs([STYLE])
    assert [str(w.message).split(": ", 1)[0] for w in record] == [
        f"{STYLE}/Headings.yml:6",
        f"{STYLE}/Lookaround.yml:4",
        f"{STYLE}/Passive.yml:1",
    ]


def test_notices_reach_the_run_result() -> None:
    config = Config(root=DATA, rule_packs=[STYLE])
    result = lint_text("Fine.\n", select=["Acme"], config=config)
    assert any("Lookaround.yml:4:" in notice for notice in result.notices)


def test_rules_are_selected_by_vale_name_and_style() -> None:
    text = "It is arguably fine. We utilize it.\n"
    assert lint(text, [STYLE], select=["Acme.Hedges"]) == ["1:7: ACME005 Consider removing 'arguably'."]
    assert lint(text, [STYLE], select=["acme.wordy"]) == ["1:25: ACME011 Use 'use' instead of 'utilize'."]


def write_style(tmp_path: Path, files: dict[str, str], name: str = "House") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def test_accepted_terms_are_exceptions_unless_vocab_is_false(tmp_path: Path) -> None:
    rule = "extends: existence\nmessage: \"Capitalized '%s'\"\ntokens:\n  - '[A-Z][a-z]+[A-Z][a-z]+'\n"
    style = write_style(tmp_path, {"Camel.yml": rule, "Strict.yml": rule + "vocab: false\n"})
    text = "We like JavaScript and TypeScript.\n"
    assert lint(text, [style, VOCAB], select=["House"]) == [
        "1:9: HOUSE002 Capitalized 'JavaScript'",
        "1:24: HOUSE001 Capitalized 'TypeScript'",
        "1:24: HOUSE002 Capitalized 'TypeScript'",
    ]


def test_substitution_leaves_text_already_written_as_the_replacement(tmp_path: Path) -> None:
    rule = "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nignorecase: true\nswap:\n  e-?mail: email\n"
    style = write_style(tmp_path, {"Email.yml": rule})
    text = "Send an email or an E-mail.\n"
    config = Config(root=tmp_path, rule_packs=[style])
    result = lint_text(text, select=["House"], config=config)
    assert describe(result) == ["1:21: HOUSE001 Use 'Email' instead of 'E-mail'."]
    # A swap from a Vale style is a suggestion: applied only with --unsafe-fixes.
    assert fixed_text(text, result) == text
    assert fixed_text(text, result, unsafe=True) == "Send an email or an Email.\n"


def test_message_braces_and_percent_signs(tmp_path: Path) -> None:
    rule = "extends: existence\nmessage: \"{Braces} and 100%% sure about '%s'\"\ntokens:\n  - sure\n"
    style = write_style(tmp_path, {"Sure.yml": rule})
    assert lint("I am sure.\n", [style], select=["House"]) == [
        "1:6: HOUSE001 {Braces} and 100% sure about 'sure'"
    ]


def test_scope_list_and_negation(tmp_path: Path) -> None:
    rule = "extends: existence\nmessage: \"'%s'\"\nscope:\n  - text\n  - ~heading\n  - ~code\ntokens:\n  - very\n"
    style = write_style(tmp_path, {"Very.yml": rule})
    text = "# A very good title\n\nA very good text.\n\n- a very good item\n"
    assert lint(text, [style], select=["House"]) == ["3:3: HOUSE001 'very'", "5:5: HOUSE001 'very'"]


def test_unknown_key_warns_and_rule_still_loads(tmp_path: Path) -> None:
    rule = "extends: existence\nmessage: \"'%s'\"\nlevel: error\ntokns:\n  - very\ntokens:\n  - very\n"
    style = write_style(tmp_path, {"Very.yml": rule})
    seen: list[str] = []
    (loaded,) = load_packs([style], warn=seen.append)
    assert seen == [f"{style}/Very.yml:4: unknown key 'tokns' for 'extends: existence'; ignored"]
    assert loaded.default_severity is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("extends: existence\nmessage: x\ntokens: [a\n", 4, "invalid YAML"),
        ("message: 'x'\ntokens:\n  - a\n", 1, "missing the required 'extends' key"),
        ("extends: existance\nmessage: x\n", 1, "'extends' must be one of capitalization"),
        ("extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n", 3, "'level' must be one of"),
        ("extends: existence\ntokens: [a]\n", 1, "missing the required 'message' key"),
        ("extends: existence\nmessage: x\nignorecase: maybe\ntokens: [a]\n", 3, "'ignorecase' must be true"),
        ("- just\n- a list\n", 1, "a Vale rule is a YAML map"),
    ],
)
def test_bad_rule_files_are_errors_with_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    style = write_style(tmp_path, {"Bad.yml": text})
    with pytest.raises(ConfigError) as raised:
        load_packs([style], warn=lambda _: None)
    assert raised.value.path == str(style / "Bad.yml")
    assert raised.value.line == line
    assert message in raised.value.message


def test_a_folder_that_is_neither_style_nor_vocabulary_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "Empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="not a Vale style"):
        load_packs([empty])


def test_a_vale_code_may_not_clash_with_another_pack(tmp_path: Path) -> None:
    rule = "extends: existence\nmessage: x\ntokens: [a]\n"
    one = write_style(tmp_path, {"A.yml": rule}, name="Acme")
    (tmp_path / "other").mkdir()
    two = write_style(tmp_path / "other", {"A.yml": rule}, name="ACME")
    with pytest.raises(ConfigError, match="'ACME001' is already used"):
        load_packs([one, two])


def test_changing_a_rule_file_changes_the_cache_key(tmp_path: Path) -> None:
    style = write_style(tmp_path, {"A.yml": "extends: existence\nmessage: x\ntokens: [a]\n"})
    before = _pack_digest([style])
    (style / "A.yml").write_text("extends: existence\nmessage: x\ntokens: [b]\n", encoding="utf-8")
    assert _pack_digest([style]) != before


def test_no_warning_for_a_clean_style(tmp_path: Path) -> None:
    style = write_style(tmp_path, {"A.yml": "extends: existence\nmessage: x\ntokens: [a]\n"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [r.code for r in load_packs([style])] == ["HOUSE001"]


def test_vale_json_output_for_a_vale_style(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from redline.cli import app, with_default_command

    (tmp_path / "redline.toml").write_text(
        f'rule-packs = ["{STYLE}"]\nselect = ["Acme.Wordy", "Acme.Exclamation"]\n', encoding="utf-8"
    )
    (tmp_path / "doc.md").write_text("# Title\n\nWe utilize it. Wow! Done.\n", encoding="utf-8")
    runner = CliRunner()
    args = ["check", str(tmp_path / "doc.md"), "--format", "vale-json", "--no-cache"]
    result = runner.invoke(app, with_default_command(args))
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data == {
        str(tmp_path / "doc.md"): [
            {
                "Action": {"Name": "replace", "Params": ["use"]},
                "Span": [4, 10],
                "Check": "Acme.Wordy",
                "Description": "",  # Wordy.yml has no description
                "Link": "https://example.org/acme-style/word-list",
                "Message": "Use 'use' instead of 'utilize'.",
                "Severity": "suggestion",
                "Match": "utilize",
                "Line": 3,
            },
            {
                "Action": {"Name": "", "Params": None},
                "Span": [18, 20],
                "Check": "Acme.Exclamation",
                "Description": "",
                "Link": "https://example.org/acme-style/punctuation",
                "Message": "Don't use exclamation points in text.",
                "Severity": "error",
                "Match": "w! ",
                "Line": 3,
            },
        ]
    }


def test_explain_names_the_style_file_and_link() -> None:
    rules = {r.name: r for r in load_packs([STYLE, VOCAB], warn=lambda _: None)}
    assert rules["Acme.Wordy"].documentation == (
        "Use '…' instead of '…'.\n\n"
        f"From the Vale style Acme: {STYLE / 'Wordy.yml'} (extends: substitution).\n"
        "Entries: 4 (0 with a safe fix).\n"
        "More: https://example.org/acme-style/word-list"
    )
    assert rules["Acme.Commas"].documentation.startswith(
        "More than three commas in one sentence.\n\n"
        "Long lists inside a sentence are hard to follow; use a bulleted list.\n\n"
        f"From the Vale style Acme: {STYLE / 'Commas.yml'} (extends: occurrence)."
    )
    assert rules["Vale.Terms"].documentation.startswith(
        "Accepted terms written in another case.\n\nFrom the Vale vocabulary in "
    )


def test_vale_json_description_is_the_rule_files_description() -> None:
    from redline.output import OutputOptions
    from redline.output.vale_json import render

    config = Config(root=DATA, rule_packs=[STYLE])
    result = lint_text("Apples, pears, plums, figs, and grapes.\n", select=["Acme.Commas"], config=config)
    (alert,) = json.loads(render(result, OutputOptions()))["doc.md"]  # the run carries its rules' metadata
    assert alert["Description"] == "Long lists inside a sentence are hard to follow; use a bulleted list."
    assert (alert["Span"], alert["Match"], alert["Severity"]) == ([7, 7], ",", "suggestion")


def test_metric_formula_over_the_documents_counts() -> None:
    twelve = "One two three four five six seven eight nine ten eleven twelve."
    thirty = "This sentence " + " ".join(["runs"] * 28) + "."
    # 42 words in 2 sentences: 21.00 per sentence, over the 20 allowed; reported at line 1.
    assert lint(f"{twelve} {thirty}\n", [STYLE], select=["Acme.Readability"]) == [
        "1:1: ACME008 Sentences average 21.00 words; aim for 20 or fewer."
    ]
    # A heading is a sentence too: 43 words in 3 sentences is 14.33, within the limit.
    assert lint(f"# Title\n\n{twelve} {thirty}\n", [STYLE], select=["Acme.Readability"]) == []


def test_metric_variables() -> None:
    from redline.markup import parse
    from redline.packs.vale import metric_variables

    document = parse(
        "doc.md", "# Plan\n\nWe estimate a considerable budget.\n\n- Item one\n\n> Quoted words.\n"
    )
    values = metric_variables(document)
    assert {
        k: values[k] for k in ("words", "sentences", "paragraphs", "list", "blockquote", "heading_h1")
    } == {
        "words": 10,
        "sentences": 4,
        "paragraphs": 1,
        "list": 1,
        "blockquote": 1,
        "heading_h1": 1,
    }
    # "estimate" (3 syllables), "considerable" (5): the only words of three syllables or more, and
    # the only ones over six letters ("budget" and "Quoted" have six).
    assert (values["polysyllabic_words"], values["complex_words"], values["long_words"]) == (2, 2, 2)


def test_metric_formulas_redline_cannot_evaluate_are_skipped_with_a_warning(tmp_path: Path) -> None:
    head = "extends: metric\nmessage: x\n"
    style = write_style(
        tmp_path,
        {
            "Call.yml": head + "formula: __import__('os')\ncondition: '> 1'\n",
            "Cond.yml": head + "formula: words\ncondition: '> words'\n",
            "Arity.yml": head + "formula: math.sqrt()\ncondition: '> 1'\n",
            "Good.yml": head + "formula: math.sqrt(words) + (syllables / words) * 2\ncondition: '>= 0'\n",
        },
    )
    seen: list[str] = []
    assert [r.name for r in load_packs([style], warn=seen.append)] == ["House.Good"]
    assert seen == [
        f"{style}/Arity.yml:3: formula 'math.sqrt()' is not supported: math.sqrt() takes exactly one argument "
        "(0 given); rule House.Arity skipped",
        f"{style}/Call.yml:3: formula \"__import__('os')\" is not supported: '__import__('os')' (only numbers, "
        "variables, + - * / % and math.sqrt, math.log...); rule House.Call skipped",
        f"{style}/Cond.yml:4: condition '> words' is not supported (write '> 8', '<= 0.5'...); rule House.Cond skipped",
    ]


def test_a_vale_ini_names_the_styles_and_vocabularies(tmp_path: Path) -> None:
    ini = tmp_path / ".vale.ini"
    ini.write_text(
        f"StylesPath = {DATA}\nMinAlertLevel = warning\nVocab = Acme\n\n"
        "[*.md]\nBasedOnStyles = Vale, Acme\nAcme.Hedges = NO\n",
        encoding="utf-8",
    )
    seen: list[str] = []
    rules = load_packs([ini], warn=seen.append)
    expected = load_packs([STYLE, VOCAB], warn=lambda _: None)
    assert sorted((r.code, r.name) for r in rules) == sorted((r.code, r.name) for r in expected)
    assert [w for w in seen if str(ini) in w] == [
        f"{ini}:2: 'MinAlertLevel' is not read by redline; ignored",
        f"{ini}:6: Vale's built-in style is not read (Vale.Spelling, Vale.Repetition); Vale.Terms and "
        "Vale.Avoid come from the vocabulary",
        f"{ini}:7: [*.md] 'Acme.Hedges' is not read by redline; ignored",
    ]
    # The cache key follows the styles the .vale.ini names, not only the .vale.ini.
    assert STYLE / "Wordy.yml" in pack_inputs(ini)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[*]\nBasedOnStyles = Acme\n", None, "no StylesPath"),
        ("StylesPath = nowhere\n", 1, "StylesPath 'nowhere' is not a folder"),
        (f"StylesPath = {DATA}\n[*]\nBasedOnStyles = Google\n", 3, "style 'Google' not found"),
        (f"StylesPath = {DATA}\nVocab = Other\n", 2, "vocabulary 'Other' not found"),
        (f"StylesPath = {DATA}\nnonsense\n", 2, "not a 'key = value' line"),
    ],
)
def test_bad_vale_ini_is_an_error_with_its_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    ini = tmp_path / ".vale.ini"
    ini.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_packs([ini], warn=lambda _: None)
    assert (raised.value.path, raised.value.line) == (str(ini), line)
    assert message in raised.value.message


def test_capitalization_lower_upper_and_pattern(tmp_path: Path) -> None:
    head = "extends: capitalization\nmessage: \"'%s' is off\"\nscope: heading\n"
    style = write_style(
        tmp_path,
        {
            "Lower.yml": head + "match: $lower\nexceptions:\n  - API\n",
            "Pattern.yml": head + "match: '^[A-Z][a-z]+:'\n",
            "Upper.yml": head + "match: $upper\n",
        },
    )
    text = "# the API guide\n\n# Notes: read me\n\nBody text.\n"
    assert lint(text, [style], select=["House"]) == [
        "1:3: HOUSE002 'the API guide' is off",  # no "Word:" at the start
        "1:3: HOUSE003 'the API guide' is off",
        "3:3: HOUSE001 'Notes: read me' is off",
        "3:3: HOUSE003 'Notes: read me' is off",
    ]
