"""Each rule kind of a pack, with a small inline pack: exact positions, messages and fixes."""

from __future__ import annotations

from pathlib import Path

from helpers import describe
from packs_helpers import check_pack, fixed_text, lint_with_pack

EXISTENCE = """
[[rule]]
code = "HS101"
name = "house.no-jargon"
kind = "existence"
message = "Jargon: '{match}'"
tokens = ["leverage", "circle back"]
patterns = ['synerg(?:y|ies)']
exceptions = ["leverage ratio"]
"""


def test_existence_tokens_patterns_and_exceptions(tmp_path: Path) -> None:
    text = "We Leverage synergies.\n\nThe leverage ratio is fine. Let us circle\nback.\n"
    assert check_pack(tmp_path, EXISTENCE, text) == [
        "1:4: HS101 Jargon: 'Leverage'",
        "1:13: HS101 Jargon: 'synergies'",
        "3:36: HS101 Jargon: 'circle back'",
    ]


def test_existence_word_boundaries(tmp_path: Path) -> None:
    text = "Leveraged buyouts and leverage-free deals.\n"
    assert check_pack(tmp_path, EXISTENCE, text) == ["1:23: HS101 Jargon: 'leverage'"]
    no_bounds = EXISTENCE.replace('kind = "existence"', 'kind = "existence"\nword-boundaries = false')
    assert check_pack(tmp_path, no_bounds, text) == [
        "1:1: HS101 Jargon: 'Leverage'",
        "1:23: HS101 Jargon: 'leverage'",
    ]


def test_existence_case_sensitive_and_scope(tmp_path: Path) -> None:
    rules = EXISTENCE.replace(
        'kind = "existence"', 'kind = "existence"\nignore-case = false\nscope = ["headings"]'
    )
    text = "# Leverage and leverage\n\nWe leverage it.\n\n- leverage\n"
    assert check_pack(tmp_path, rules, text) == ["1:16: HS101 Jargon: 'leverage'"]


def test_existence_reports_first_group(tmp_path: Path) -> None:
    rules = """
[[rule]]
code = "HS102"
name = "house.spokesperson"
kind = "existence"
ignore-case = false
word-boundaries = false
patterns = ['[a-z] (Spokesperson) [A-Z]']
"""
    text = "said Spokesperson Kang. Spokesperson Lee agreed.\n"
    assert check_pack(tmp_path, rules, text) == ["1:6: HS102 Avoid 'Spokesperson'"]


def test_code_spans_and_urls_are_not_prose(tmp_path: Path) -> None:
    text = "Run `leverage` or see https://example.com/leverage today.\n"
    assert check_pack(tmp_path, EXISTENCE, text) == []


SUBSTITUTION = """
[[rule]]
code = "HS201"
name = "house.plain"
kind = "substitution"
[rule.swap]
"in order to" = "to"
"utilize" = { to = "use", fix = "unsafe" }
"end result" = "result"
"with regard to" = "about|on"
"""


def test_substitution_messages_positions_and_safe_fix(tmp_path: Path) -> None:
    text = "In order to win, utilize the end result.\nWith regard to it, IN ORDER TO see.\n"
    result = lint_with_pack(tmp_path, SUBSTITUTION, text)
    assert describe(result) == [
        "1:1: HS201 Prefer 'To' over 'In order to'",
        "1:18: HS201 Prefer 'use' over 'utilize'",
        "1:30: HS201 Prefer 'result' over 'end result'",
        "2:1: HS201 Prefer 'about' or 'on' over 'With regard to'",
        "2:20: HS201 Prefer 'TO' over 'IN ORDER TO'",
    ]
    assert fixed_text(text, result) == "To win, utilize the result.\nWith regard to it, TO see.\n"
    assert fixed_text(text, result, unsafe=True) == "To win, use the result.\nWith regard to it, TO see.\n"


def test_substitution_unclear_case_and_article_make_the_fix_unsafe(tmp_path: Path) -> None:
    text = "In Order To win, an end result.\n"
    result = lint_with_pack(tmp_path, SUBSTITUTION, text)
    assert fixed_text(text, result) == text
    # Unsafe fixes write the replacement as the pack has it, and fix the article.
    assert fixed_text(text, result, unsafe=True) == "to win, a result.\n"


def test_substitution_never_edits_across_markup(tmp_path: Path) -> None:
    text = "We met *in order* to plan.\n"
    result = lint_with_pack(tmp_path, SUBSTITUTION, text)
    (file_result,) = result.files
    assert [(f.start, f.end, f.fix) for f in file_result.findings] == [(8, 20, None)]


def test_a_phrase_never_spans_code(tmp_path: Path) -> None:
    assert check_pack(tmp_path, SUBSTITUTION, "We met in `x` order to plan, in [order](u) to.\n") == []


def test_substitution_with_regex_groups(tmp_path: Path) -> None:
    rules = """
[[rule]]
code = "HS202"
name = "house.month"
kind = "substitution"
regex = true
ignore-case = false
message = "Write '{replacement}'"
[rule.swap]
'October (\\d{1,2})' = 'Oct. \\1'
"""
    text = "On October 27, 2025, and in October.\n"
    result = lint_with_pack(tmp_path, rules, text)
    assert describe(result) == ["1:4: HS202 Write 'Oct. 27'"]
    assert fixed_text(text, result) == "On Oct. 27, 2025, and in October.\n"


CONSISTENCY = """
[[rule]]
code = "HS301"
name = "house.spelling"
kind = "consistency"
either = [["email", "e-mail"], ["toward", "towards"]]
"""


def test_consistency_flags_the_minority_form(tmp_path: Path) -> None:
    text = "Send e-mail.\nE-mail us toward noon.\n\nAn email arrived. Then an e-mail. Walk towards it.\n"
    result = lint_with_pack(tmp_path, CONSISTENCY, text)
    assert describe(result) == [
        "4:4: HS301 Both 'email' and 'e-mail' are used in this document; keep to 'e-mail'",
        "4:40: HS301 Both 'towards' and 'toward' are used in this document; keep to 'toward'",
    ]
    (file_result,) = result.files
    assert [(r.start, r.end, r.message) for r in file_result.findings[0].related] == [
        (5, 11, "'e-mail' first used here")
    ]
    assert fixed_text(text, result) == text  # unsafe: the editor picks the form
    assert fixed_text(text, result, unsafe=True) == text.replace("An email", "An e-mail").replace(
        "towards", "toward"
    )


def test_consistency_one_form_is_fine(tmp_path: Path) -> None:
    assert check_pack(tmp_path, CONSISTENCY, "Email us. An email is fine.\n") == []


OCCURRENCE = """
[[rule]]
code = "HS401"
name = "house.commas"
kind = "occurrence"
word-boundaries = false
tokens = [","]
max = 2
unit = "{unit}"
"""


def test_occurrence_per_sentence(tmp_path: Path) -> None:
    text = "One, two, three, four. Five, six, seven.\n\nA, b.\n"
    rules = OCCURRENCE.replace("{unit}", "sentence")
    result = lint_with_pack(tmp_path, rules, text)
    assert describe(result) == ["1:16: HS401 3 uses of ',' in one sentence (at most 2)"]
    (file_result,) = result.files
    assert [(r.start, r.message) for r in file_result.findings[0].related] == [
        (3, "first of 3 in this sentence")
    ]


def test_occurrence_per_paragraph_and_document(tmp_path: Path) -> None:
    text = "One, two. Three, four.\n\nA, b.\n"
    assert check_pack(tmp_path, OCCURRENCE.replace("{unit}", "paragraph"), text) == []
    assert check_pack(tmp_path, OCCURRENCE.replace("{unit}", "document"), text) == [
        "3:2: HS401 3 uses of ',' in one document (at most 2)"
    ]


CAPITALIZATION = """
[[rule]]
code = "HS501"
name = "house.headings"
kind = "capitalization"
style = "{style}"
exceptions = ["South Korea"]
"""


def test_capitalization_sentence_case(tmp_path: Path) -> None:
    text = "# South Korea Launches a Task Force\n\n## How the API works: Two Steps\n\nBody Text Here.\n"
    result = lint_with_pack(tmp_path, CAPITALIZATION.replace("{style}", "sentence"), text)
    assert describe(result) == [
        "1:3: HS501 Heading is not in sentence case: 'South Korea launches a task force'",
        "3:4: HS501 Heading is not in sentence case: 'How the API works: Two steps'",
    ]
    assert fixed_text(text, result) == text  # proper nouns are the editor's call: unsafe
    assert fixed_text(text, result, unsafe=True).splitlines()[:3] == [
        "# South Korea launches a task force",
        "",
        "## How the API works: Two steps",
    ]


def test_capitalization_learns_names_from_the_text(tmp_path: Path) -> None:
    text = (
        "# Police From Cambodia Meet In Phnom Penh\n\nOfficers from Cambodia met in Phnom Penh. Police met.\n"
    )
    rules = CAPITALIZATION.replace("{style}", "sentence")
    assert check_pack(tmp_path, rules, text) == [
        "1:3: HS501 Heading is not in sentence case: 'Police from Cambodia meet in Phnom Penh'"
    ]
    unlearned = rules.replace('kind = "capitalization"', 'kind = "capitalization"\nlearn-names = false')
    assert check_pack(tmp_path, unlearned, text) == [
        "1:3: HS501 Heading is not in sentence case: 'Police from cambodia meet in phnom penh'"
    ]


def test_capitalization_title_case(tmp_path: Path) -> None:
    text = "# the state of the art in scam prevention\n\n# A Guide to the JavaScript API\n"
    assert check_pack(tmp_path, CAPITALIZATION.replace("{style}", "title"), text) == [
        "1:3: HS501 Heading is not in title case: 'The State of the Art in Scam Prevention'"
    ]


SCRIPT = """
[[rule]]
code = "HS601"
name = "house.script"
kind = "script"
exceptions = ["서울"]
"""


def test_script_flags_a_fragment_inside_an_english_sentence(tmp_path: Path) -> None:
    text = (
        "Exchanges are expected to be 활성화, and trade to grow.\n\n"
        "관련 기사\n\n"
        "류근웅 인스피리오 기자 10 PM\n\n"
        "The word \u201c활성화\u201d means activation. We met in 서울 today.\n\n"
        "자유NKorea's only voice of freedom\n#사회\n"
    )
    assert check_pack(tmp_path, SCRIPT, text, path="doc.txt") == [
        "1:30: HS601 Text in Hangul script inside an English sentence: '활성화'"
    ]


def test_script_groups_words_and_reads_other_scripts(tmp_path: Path) -> None:
    text = "He said что это было and left. A λ here.\n"
    assert check_pack(tmp_path, SCRIPT, text) == [
        "1:9: HS601 Text in Cyrillic script inside an English sentence: 'что это было'",
        "1:34: HS601 Text in Greek script inside an English sentence: 'λ'",
    ]
    expected_cyrillic = SCRIPT.replace(
        'kind = "script"', 'kind = "script"\nexpected = ["Latin", "Cyrillic"]\nmin-letters = 2'
    )
    assert check_pack(tmp_path, expected_cyrillic, text) == []


REPETITION = """
[[rule]]
code = "HS701"
name = "house.repeat"
kind = "repetition"
patterns = ["[\\\\pL']+"]
"""


def test_repetition(tmp_path: Path) -> None:
    assert check_pack(tmp_path, REPETITION, "It is is done.\nThe\nthe end. Go, go.\n") == [
        "1:7: HS701 'is' is repeated",
        "3:1: HS701 'the' is repeated",
    ]


CONDITIONAL = """
[[rule]]
code = "HS801"
name = "house.acronym"
kind = "conditional"
ignore-case = false
first = '([A-Z]{2,5})'
second = '[A-Z][a-z]+(?: [A-Z][a-z]+)* \\(([A-Z]{2,5})\\)'
exceptions = ["UN"]
"""


def test_conditional_acronym_before_definition(tmp_path: Path) -> None:
    text = "The JTF starts. The UN agrees. Joint Task Force (JTF) and ASEAN. The JTF and ASEAN.\n"
    result = lint_with_pack(tmp_path, CONDITIONAL, text)
    assert describe(result) == [
        "1:5: HS801 'JTF' is used before it is defined",
        "1:59: HS801 'ASEAN' is used before it is defined",
    ]
    (file_result,) = result.files
    assert [(r.start, r.end, r.message) for r in file_result.findings[0].related] == [
        (31, 53, "defined here")
    ]
