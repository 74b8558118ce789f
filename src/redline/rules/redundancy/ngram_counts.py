"""N-gram counting over integer ids, for RL103 (repeated phrases).

Counting phrases of 3 to 8 words as tuples of strings built a tuple per position and
length, and the rule then judged every use of every phrase; only the phrases used more
often than the budget matter. Here each (group, word) pair gets an integer id, and the
phrases of n words get ids from the pairs (id of the first n-1 words, id of the last
word). A phrase is used at most as often as each of its two parts of n-1 words, so it is
counted only where both are used more often than the budget: after two words few places
are left, and plain Python counts them faster than numpy did every place (0.04 s against
0.12 s on the 40 docs, without numpy's import). Only the phrases counted more than their
group's threshold come back, with their positions, for the rule to judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Positions:
    """Where the tokens of a document's word runs sit, and what the counting may use.

    ``words`` are the keys compared (lower-cased words); ``groups`` the counting group of
    each token (phrases in different groups are different phrases); ``runs`` the run of
    each token (a phrase never spans two runs); ``content`` whether the token counts as a
    content word (a phrase needs one); ``may_start`` whether a phrase may start at it;
    ``ends`` the token's end offset and ``cover`` the furthest end of an excluded span
    (a hedge) starting at or before the token, or -1: a phrase from token i to token j
    is not counted when ``cover[i] >= ends[j]``.
    """

    words: Sequence[str]
    groups: Sequence[int]
    runs: Sequence[int]
    content: Sequence[bool]
    may_start: Sequence[bool]
    ends: Sequence[int]
    cover: Sequence[int]


def frequent_ngrams(
    positions: Positions, min_words: int, max_words: int, more_than: Sequence[int]
) -> list[tuple[int, list[int]]]:
    """Each phrase of ``min_words`` to ``max_words`` words counted more than
    ``more_than[group]`` times: (its length, the token index of each counted use, in order),
    the phrases of each length in the order of their first use.

    A use is counted when its words are in one run and one group, one of them is content,
    a phrase may start at its first token and no excluded span covers it.
    """
    n = len(positions.words)
    if n == 0 or max_words < min_words:
        return []
    # A phrase of n words is used at most as often as the phrase of its first n-1 words,
    # and as the phrase of its last n-1 words (counting every place in one run, before
    # the other conditions): so a phrase is extended only where both of those are used
    # more often than the group allows.
    runs, groups, ends, cover, may_start = (
        positions.runs,
        positions.groups,
        positions.ends,
        positions.cover,
        positions.may_start,
    )
    ids: dict[tuple[int, str], int] = {}
    word_ids = [ids.setdefault(key, len(ids)) for key in zip(groups, positions.words, strict=True)]
    gram = word_ids[:]  # the id of the phrase of ``length`` words at each place still alive
    content = [0]
    for flag in positions.content:
        content.append(content[-1] + bool(flag))
    tally = [0] * len(ids)
    for word in gram:
        tally[word] += 1
    # ``alive``: the token indexes where the phrase of ``length`` words starts, in one
    # run, used more often (anywhere in its runs) than its group allows
    alive = [i for i in range(n) if tally[gram[i]] > more_than[groups[i]]]
    found: list[tuple[int, list[int]]] = []
    length = 1
    while True:
        if length >= min_words:
            uses: dict[int, list[int]] = {}
            for i in alive:
                last = i + length - 1
                if content[i + length] > content[i] and may_start[i] and cover[i] < ends[last]:
                    spots = uses.get(gram[i])
                    if spots is None:
                        uses[gram[i]] = [i]
                    else:
                        spots.append(i)
            for spots in uses.values():  # in the order of first use (``alive`` is sorted)
                if len(spots) > more_than[groups[spots[0]]]:
                    found.append((length, spots))
        if length >= max_words or not alive:
            return found
        # extend by one word where the first and the last ``length`` words both are alive
        flags = bytearray(n + 1)
        for i in alive:
            flags[i] = 1
        pairs: dict[tuple[int, int], int] = {}
        extended = [i for i in alive if flags[i + 1] and i + length < n and runs[i + length] == runs[i]]
        counts: list[int] = []
        for i in extended:  # each reads its own id before replacing it with the longer one
            key = (gram[i], word_ids[i + length])
            number = pairs.get(key)
            if number is None:
                number = pairs[key] = len(counts)
                counts.append(1)
            else:
                counts[number] += 1
            gram[i] = number
        length += 1
        alive = [i for i in extended if counts[gram[i]] > more_than[groups[i]]]
