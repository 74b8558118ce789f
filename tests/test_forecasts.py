"""RL102's stacked forecasts: which outcomes a forecast predicts (no model needed)."""

from __future__ import annotations

import pytest

from redline.rules.redundancy.forecasts import outcome_items


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "The deployment of police is expected to play a crucial role in strengthening investigative "
            "cooperation in Cambodia and facilitating the sharing of criminal information.",
            [
                "It will lead to strengthening investigative cooperation in Cambodia.",
                "It will lead to facilitating the sharing of criminal information.",
            ],
            id="a role in two effects",
        ),
        pytest.param(
            "Furthermore, it is expected to positively impact the revitalization of Cambodia's tourism "
            "industry and contribute to further strengthening economic cooperation between the two countries.",
            [
                "It will lead to the revitalization of Cambodia's tourism industry.",
                "It will lead to further strengthening economic cooperation between the two countries.",
            ],
            id="impact as a verb",
        ),
        pytest.param(
            "This is expected to greatly contribute to protecting the safety of South Korean citizens.",
            ["It will lead to protecting the safety of South Korean citizens."],
            id="an adverb before the lead verb",
        ),
        pytest.param(
            "The merger was widely expected to have a lasting effect on regional airfares in Europe, and the "
            "union said so.",
            ["It will lead to regional airfares in Europe."],
            id="an adverb before the forecast; a short item is dropped",
        ),
        pytest.param(
            "Sales are expected to rise by five percent this year.", [], id="the subject's own change"
        ),
        pytest.param(
            "Sales are expected to rise, boosting profits at the largest stores.",
            [],
            id="a gerund after the subject's own change",
        ),
        pytest.param(
            "The bill is expected to pass and contribute to lowering rents in the city.",
            ["It will lead to lowering rents in the city."],
            id="only the items that are effects",
        ),
        pytest.param("All paths are expected to be in cmake-style format.", [], id="a requirement"),
        pytest.param("Prices rose in the spring.", [], id="no forecast"),
        pytest.param(
            "It is expected to have a positive impact on trade.", [], id="an effect of fewer than three words"
        ),
    ],
)
def test_outcome_items(sentence: str, expected: list[str]) -> None:
    assert outcome_items(sentence) == expected
