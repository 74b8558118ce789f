"""The passive detector, with and without a trained pipeline's part-of-speech tags."""

from __future__ import annotations

from redline.analysis import Token
from redline.rules.readability.passive_voice import passives


def tokens(*words: str | tuple[str, str]) -> tuple[Token, ...]:
    out, offset = [], 0
    for word in words:
        text, tag = word if isinstance(word, tuple) else (word, "")
        out.append(Token(offset, offset + len(text), text, text.isalnum(), False, tag))
        offset += len(text) + 1
    return tuple(out)


def test_blank_pipeline_uses_the_word_lists() -> None:
    assert list(passives(tokens("It", "was", "written", "."))) == [(3, 14)]
    assert list(passives(tokens("It", "was", "closed", "."))) == [(3, 13)]
    assert list(passives(tokens("It", "was", "indeed", "red", "."))) == []
    assert list(passives(tokens("It", "is", "not", "often", "used"))) == [(3, 20)]
    assert list(passives(tokens("It", "is", "a", "tested", "idea"))) == []


def test_a_trained_pipeline_decides_by_the_vbn_tag() -> None:
    adjective = tokens(("It", "PRP"), ("was", "VBD"), ("closed", "JJ"))
    assert list(passives(adjective)) == []
    participle = tokens(("It", "PRP"), ("was", "VBD"), ("shut", "VBN"))
    assert list(passives(participle)) == [(3, 11)]


def test_a_chain_of_be_forms_is_one_passive() -> None:
    assert list(passives(tokens("It", "was", "being", "built"))) == [(3, 18)]
    assert list(passives(tokens("It", "has", "been", "done"))) == [(7, 16)]
