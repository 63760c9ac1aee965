"""Claims: a value from a blog, forum, course or article is never shown as disclosed.

A developer publishes ("disclosed"); a secondary source asserts ("claimed"), infers ("estimated")
or repeats ("rumored"). These tests check the data, the order of certainty a derived number
inherits, and the mark a reader sees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.data import STATUS_RANK, Book, Value, load
from macros.ledger import to_html
from macros.quantity import Input, Q

ROOT = Path(__file__).resolve().parents[2]
SECONDARY = {"blog", "forum", "course", "article"}
MODEL_VALUES = ("params", "active_params", "tokens", "reported_train_flops", "gpu_hours", "gpus", "reported_cost_usd")


def sourced_values(book: Book) -> Iterator[tuple[str, str, str]]:
    """(where, status, source) for every sourced value in the book: models, hardware, constants."""
    for m in book.models.values():
        for name in MODEL_VALUES:
            v = getattr(m, name)
            if isinstance(v, Value):
                yield f"model {m.id!r}, {name}", v.status, v.source
        if m.arch is not None and m.arch_source and m.arch_status:
            yield f"model {m.id!r}, arch", m.arch_status, m.arch_source
    for h in book.hardware.values():
        for name, v in (("memory", h.memory_bytes), ("bandwidth", h.bandwidth_bytes_per_s), *h.peak_flop_per_s.items()):
            yield f"hardware {h.id!r}, {name}", v.status, v.source
    for c in book.constants.values():
        yield f"constant {c.key!r}", c.status, c.source


def claims_shown_as_disclosed(book: Book) -> list[str]:
    """Every value a secondary source supplies but the data calls disclosed, one line each."""
    return [
        f"{where}: source {source!r} is a {book.sources[source].kind}, status is 'disclosed'"
        for where, status, source in sourced_values(book)
        if status == "disclosed" and book.sources[source].kind in SECONDARY
    ]


@pytest.fixture(scope="module")
def book() -> Book:
    return load(ROOT / "data")


def test_no_value_from_a_blog_forum_course_or_article_is_disclosed(book: Book):
    assert claims_shown_as_disclosed(book) == []


def test_the_check_names_a_forum_figure_marked_disclosed(book: Book):
    # The check itself must be able to fail: mark one forum-sourced constant disclosed.
    c = book.constants["claim_gpt4_effective_flops"]
    assert book.sources[c.source].kind == "forum"
    bad = dataclasses.replace(book, constants={**book.constants, c.key: dataclasses.replace(c, status="disclosed")})
    assert claims_shown_as_disclosed(bad) == [
        "constant 'claim_gpt4_effective_flops': source 'lesswrong-nesov-2025' is a forum, status is 'disclosed'"
    ]


@pytest.mark.parametrize(
    "key",
    ["claim_gpt4_effective_flops", "claim_gpt4_vs_llama405b", "claim_gpt4o_params", "claim_gpt3_to_gpt4",
     "claim_gemini2_vs_grok3", "claim_cluster_gap", "claim_llama33_params", "claim_llama4_params"],
)  # fmt: skip
def test_the_figures_the_book_quotes_to_check_are_claimed(book: Book, key: str):
    assert book.constants[key].status == "claimed"


def test_rumours_and_estimates_are_called_what_they_are(book: Book):
    assert book.constants["sparsity_1_8"].status == "rumored"  # GPT-4's expert sparsity
    # "~1,000 V100s for ~34 days": the duration is Narayanan et al.'s estimate (for A100s),
    # the V100 count is the course's claim; neither is a rumour.
    days = book.constants["gpt3_days"]
    assert (days.status, book.sources[days.source].kind) == ("estimated", "paper")
    assert book.constants["gpt3_v100s"].status == "claimed"
    g4 = book.models["gpt-4"]
    assert (g4.params.status, g4.active_params.status) == ("rumored", "rumored")


def test_claimed_ranks_between_estimated_and_rumored():
    order = sorted(STATUS_RANK, key=STATUS_RANK.__getitem__)
    assert order == ["disclosed", "estimated", "claimed", "rumored", "undisclosed"]


def _q(*statuses: str, name: str = "x") -> Q:
    inputs = tuple(Input(symbol=f"{name}{i}", text="1", status=s, source=None) for i, s in enumerate(statuses))
    return Q(value=1.0, kind="number", label="test", inputs=inputs)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [(("disclosed", "claimed"), "claimed"), (("estimated", "claimed"), "claimed"), (("claimed", "rumored"), "rumored")],
)
def test_a_derived_number_takes_the_least_certain_status(statuses: tuple[str, ...], expected: str):
    assert _q(*statuses).status == expected
    assert (_q(statuses[0], name="a") / _q(statuses[1], name="b")).status == expected


def test_a_claimed_number_carries_its_own_mark():
    out = to_html(_q("claimed"), None, None)
    assert 'class="num num--claimed"' in out
    assert '<sup class="num-flag num-flag--claimed">claim</sup>' in out
    assert "num-flag" not in to_html(_q("disclosed"), None, None)
