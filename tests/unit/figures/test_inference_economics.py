"""figures.inference_economics: the decode model's speed-cost frontier for GPT-4's size and its halvings."""

from __future__ import annotations

import math
from dataclasses import replace

from figures import inference_economics as chart
from macros import format as fmt
from macros import formulas as f
from tests.unit.figures.toy_book import edit, v


def _frontier(book, scale: float) -> list[f.DecodePoint]:
    """The same sweep, called with values read from the book by hand."""
    c = {k: book.constants[k].value for k in book.constants}
    h200, gpt4 = book.hardware["h200-sxm"], book.models["gpt-4"]
    arch = book.models["llama-3.1-405b"].arch
    # KV cache per sequence: 2 (K and V) × layers × KV heads × head size × 2 bytes (BF16) × context
    kv_seq = 2 * arch.layers * arch.kv_heads * (arch.d_model // arch.heads) * 2 * c["decode_context_tokens"]
    pts = f.decode_sweep(
        gpu_counts=f.powers_of_two(int(c["decode_gpus_max"])),
        batches=f.powers_of_two(int(c["decode_batch_max"])),
        total_params=gpt4.params.value * scale,
        active_params=gpt4.active_params.value * scale,
        bytes_per_param=1,  # FP8
        kv_bytes_per_sequence=kv_seq,
        gpu_memory_bytes=h200.memory_bytes.value,
        gpu_bandwidth_bytes_per_s=h200.bandwidth_bytes_per_s.value,
        gpu_peak_flop_per_s=h200.peak_flop_per_s["fp8"].value,
        usd_per_gpu_hour=c["h200_price_per_gpu_hour"],
        utilization=c["decode_utilisation"],
    )
    return f.pareto_frontier(pts)


def test_the_frontiers_are_the_decode_models(book):
    rows = [r for r in chart.plan(book).rows if r.kind == "frontier"]
    steps = int(book.constants["decode_shrink_steps"].value)
    assert {float(r.scale) for r in rows} == {0.5**k for k in range(steps + 1)}
    for k in range(steps + 1):
        got = [r for r in rows if float(r.scale) == 0.5**k]
        want = _frontier(book, 0.5**k)
        assert [(r.gpus, r.batch) for r in got] == [(p.gpus, p.batch) for p in want]
        assert all(
            math.isclose(r.tokens_per_s_per_user, p.tokens_per_second_per_user) for r, p in zip(got, want, strict=True)
        )
    assert {r.status for r in rows} == {"rumored"}  # GPT-4's size is a rumour


def test_a_memory_bound_point_by_hand(book):
    rows = [r for r in chart.plan(book).rows if r.kind == "frontier" and r.bound == "memory"]
    r = rows[0]
    arch = book.models["llama-3.1-405b"].arch
    kv_seq = 2 * arch.layers * arch.kv_heads * (arch.d_model // arch.heads) * 2 * 2048
    # one step reads every weight (1 byte each) and every sequence's KV cache once, at half of 4.8 TB/s per GPU
    step = (r.total_params + r.batch * kv_seq) / (r.gpus * 4.8e12 * 0.5)
    assert math.isclose(r.tokens_per_s_per_user, 1 / step)
    assert math.isclose(r.usd_per_million_tokens, r.gpus * 3.0 / 3600 * step / r.batch * 1e6)


def test_api_points_come_from_the_constants(book):
    fig = chart.plan(book)
    api = [r for r in fig.rows if r.kind == "api"]
    assert {(r.scale, r.tokens_per_s_per_user, r.usd_per_million_tokens) for r in api} == {
        (mid, book.constants[s].value, book.constants[p].value)
        for mid, (p, speeds) in chart.API_POINTS.items()
        for s in speeds
    }
    for mid in chart.API_POINTS:
        assert book.models[mid].name in fig.alt


def test_undisclosed_size_plans_no_chart(book):
    assert chart.plan(edit(book, "gpt-4", params=v(None))) is None


def _with_target(book, speed: float):
    c = book.constants[chart.TARGET_SPEED]
    return replace(book, constants={**book.constants, c.key: replace(c, value=speed)}, digest="")


def test_caption_by_hand(book):
    # The fastest speed per user of each size, from the sweep called by hand (tests above).
    fastest = {scale: max(p.tokens_per_second_per_user for p in _frontier(book, scale)) for scale in (1, 0.5, 0.125)}
    assert fastest[1] < 100 and fastest[0.5] < 100 < fastest[0.125]  # the data's situation: only 1/8 and below
    assert (
        chart.plan(book).title
        == "On H200 SXMs, only versions of GPT-4 at 1/8 of its size or smaller reach 100 tokens/s per user"
    )
    slow = _with_target(book, 10.0)  # every size reaches 10 tokens/s
    assert chart.plan(slow).title == "On H200 SXMs every version of GPT-4 can reach 10 tokens/s per user"
    unreachable = _with_target(book, 1e6)
    assert (
        chart.plan(unreachable).title == "Smaller versions of GPT-4 are both faster and cheaper to serve on H200 SXMs"
    )
    (_, _, scale), (_, _, target) = chart.plan(book).title.numbers
    assert (scale.expr, target.expr) == (
        "halvings('decode_shrink_steps')[3]",
        "const('gpt4o_speed_low').as_('tokens_per_s')",
    )


def test_alt_names_the_served_model_and_its_status(book):
    fig = chart.plan(book)
    assert f"the size of GPT-4 ({fmt.count(book.models['gpt-4'].params.value)} parameters, rumored)" in fig.alt
    steps = int(book.constants["decode_shrink_steps"].value)
    assert f"and its halvings down to 1/{2**steps} of that size" in fig.alt
    top = max(p.tokens_per_second_per_user for p in _frontier(book, 1))
    assert f"The fastest each size reaches is {fmt.text(top, 'tokens_per_s')} at full size" in fig.alt
