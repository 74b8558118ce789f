"""RL301: a sentence with too many words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.analysis import Sentence, Token
from redline.document import BlockKind, Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext, bounded

#: Words that start sentences and, capitalised after a lower-case word with nothing between,
#: are a sentence start whose full stop is missing ("... in this section If the ...").
# fmt: off
_STARTERS = frozenset(
    {
        "after", "also", "although", "an", "as", "at", "because", "but", "each", "every", "for", "he",
        "her", "his", "however", "if", "in", "it", "its", "many", "most", "no", "on", "once", "only",
        "our", "she", "since", "so", "some", "that", "the", "their", "then", "there", "these", "they",
        "this", "those", "though", "thus", "unless", "we", "when", "where", "whether", "while", "you",
        "your",
    }
)
# fmt: on


@dataclass(frozen=True)
class LongSentenceOptions:
    #: More words than this is a finding.
    max_words: int = bounded(40, minimum=1)
    #: Count the words inside quotation marks too (someone else's words: by default the
    #: writer cannot shorten them, so only the writer's own words count).
    include_quotes: bool = False
    #: Up to this many words over the limit the advice is "tighten it" (a sentence of one
    #: idea a few words too long wants cutting, not splitting); beyond it, "split it".
    tighten_margin: int = bounded(5, minimum=0)
    #: In that margin, report only a sentence whose words average at least this many
    #: letters: a sentence a few words over the limit in short words reads quickly; in long
    #: words it does not. 0 reports every sentence over the limit.
    tighten_min_letters: float = bounded(5.0, minimum=0.0)


class LongSentence(Rule[LongSentenceOptions]):
    """Sentence too long.

    Readers lose the thread of a long sentence; plain-language guides advise an average
    of 15 to 20 words and splitting anything much longer. Headings are not checked, and
    words inside quotation marks do not count: a quotation is someone else's, and the
    writer may not shorten it. A list of names (a team sheet) is not checked.

    Bad::

        The committee, which met on Tuesday after a delay caused by the storm that had
        closed the roads into the city for most of the week, decided after a long debate
        that went on well into the evening to postpone the vote until the spring session.

    Good::

        The committee met on Tuesday, after a storm delayed it. It decided to postpone
        the vote until the spring session.

    Options:

    - ``max-words`` (int, default 40): the most words a sentence may have.
    - ``include-quotes`` (bool, default false): count the words of quotations too.
    - ``tighten-margin`` (int, default 5): up to this many words over the limit the
      message says "tighten it"; further over, "split it".
    - ``tighten-min-letters`` (float, default 5.0): within that margin, a sentence is
      reported only when its words average at least this many letters. Length is one half
      of what makes a sentence slow; the other is long words. A well-built news sentence of
      41 to 45 words runs at 4.0 to 4.9 letters a word and reads in one go; the padded
      sentences of a report ("The two leaders acknowledged that bilateral relations have
      achieved remarkable growth ...") run at 5.5 to 6.2. Ordinary English prose averages
      about 4.7. Set it to 0 to report every sentence over the limit.

    A capitalised sentence opener straight after a lower-case word, with no punctuation
    between ("... in this section If the ...", "... ($1.70) Gamers can ..."), is most
    likely a missing full stop: the message asks about it and points at the place, at
    any length (two sentences run together). A title ("The Da Vinci Code") is not one.
    """

    code = "RL301"
    name = "readability.long-sentence"
    Options = LongSentenceOptions

    def check(self, document: Document, ctx: RuleContext[LongSentenceOptions]) -> Iterator[Finding]:
        limit = ctx.options.max_words
        quotes = document.quotations
        for sentence in document.sentences:
            if document.blocks[sentence.block].kind is BlockKind.HEADING:
                continue
            stop = _missing_stop(document, sentence)
            if stop is not None and quotes.contains(stop.start):
                stop = None  # someone else's words: not the writer's full stop to add
            if stop is None and (sentence.word_count <= limit or _mostly_names(sentence)):
                continue
            own_words = [
                w for w in sentence.words if ctx.options.include_quotes or not quotes.contains(w.start)
            ]
            own = len(own_words)
            words = sentence.word_count
            quoted = f", {words - own} of them quoted" if own < words else ""
            figures = f"Sentence is {words} words long{quoted} (limit {limit})"
            if stop is not None:
                # Two sentences run together: a missing full stop, whatever the length.
                head = figures if own > limit else "Two sentences run together"
                yield self.finding(
                    sentence.start,
                    sentence.end,
                    f"{head}: full stop missing before '{stop.text}'? Split it there",
                    related=[Related(stop.start, stop.end, "a sentence seems to start here")],
                )
            elif own > limit:
                if own > limit + ctx.options.tighten_margin:
                    advice = "split it"
                elif _mean_letters(own_words) >= ctx.options.tighten_min_letters:
                    advice = "tighten it"
                else:
                    continue  # a few words over, in short words: it reads in one go
                yield self.finding(sentence.start, sentence.end, f"{figures}: {advice}")


RULES = [LongSentence]


def _mean_letters(words: list[Token]) -> float:
    """Letters and digits per word, as the Automated Readability Index counts them."""
    if not words:
        return 0.0
    return sum(sum(1 for ch in w.text if ch.isalnum()) for w in words) / len(words)


def _mostly_names(sentence: Sentence) -> bool:
    """A list of names (a team sheet, a cast list): nothing to split."""
    words = sentence.words[1:]
    return bool(words) and sum(w.text[:1].isupper() for w in words) * 2 > len(words)


def _missing_stop(document: Document, sentence: Sentence) -> Token | None:
    """The word that starts a second sentence run into this one, when there seems to be one.

    A lower-case word (or a closing bracket) followed, with only spaces between, by a
    capitalised sentence opener ("section If the", "($1.70) Gamers can").
    """
    tokens = sentence.tokens
    text = document.text
    for index in range(1, len(tokens) - 1):
        before, word, after = tokens[index - 1], tokens[index], tokens[index + 1]
        if not word.is_word or len(word.text) < 2 or not word.text.istitle():
            continue
        if text[before.end : word.start].strip() or before.end == word.start:
            continue  # punctuation or masked markup between, or no space at all
        # A sentence goes on in lower case ("If the", "However,"); a title does not
        # ("The Da Vinci Code", "It Happened One Night").
        if not (after.text == "," or (after.is_word and after.text[:1].islower())):
            continue
        if before.text == ")":
            # "shogun armour ($1.70) Gamers can": a bracket after a lower-case word, not a
            # label opening the sentence ("(**Not yet implemented**) If the file").
            opening = next((i for i in range(index - 2, -1, -1) if tokens[i].text == "("), None)
            if opening is not None and opening > 0 and _lower_word(tokens[opening - 1]):
                return word
        elif _lower_word(before) and word.lower in _STARTERS:
            return word
    return None


def _lower_word(token: Token) -> bool:
    return token.is_word and token.text.isalpha() and token.text.islower()
