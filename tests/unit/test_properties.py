"""Property-based tests (hypothesis) of the loader and the formulas.

The loader never crashes on a valid record: it either loads it, with every value converted to
base units, or rejects it with one DataError line. The formulas scale the way their physics
says: 6ND is linear in each factor, memory is linear in the bytes per parameter, an
architecture's parts add up to its total and grow with every dimension, a decode step never gets
shorter with a bigger batch.
"""

from __future__ import annotations

import math
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macros import formulas as f
from macros.data import PLAUSIBLE, UNITS, DataError, load
from macros.records import Arch
from tests.conftest import ROOT

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
positive = st.floats(min_value=1e-3, max_value=1e15, allow_nan=False, allow_infinity=False)
counts = st.floats(min_value=1e4, max_value=1e14, allow_nan=False, allow_infinity=False)


# --- formulas ------------------------------------------------------------------------------------
@given(n=counts, d=counts, k=st.floats(min_value=1.0, max_value=1e3))
def test_training_compute_is_linear_in_params_and_tokens(n: float, d: float, k: float):
    c = f.train_flops(n, d)
    assert math.isclose(f.train_flops(2 * n, d), 2 * c, rel_tol=1e-12)
    assert math.isclose(f.train_flops(n, 2 * d), 2 * c, rel_tol=1e-12)
    assert math.isclose(f.train_flops(k * n, d / k), c, rel_tol=1e-9)
    assert f.train_flops(n * (1 + 1e-6), d) > c
    assert math.isclose(f.train_flops(n, d) / f.inference_flops_per_token(n), 3 * d, rel_tol=1e-12)


@given(n=counts, d=counts, r=st.floats(min_value=1.0, max_value=100.0))
def test_overtraining_is_tokens_over_the_chinchilla_budget(n: float, d: float, r: float):
    assert math.isclose(f.overtrain_factor(d, n, r) * f.chinchilla_tokens(n, r), d, rel_tol=1e-12)
    assert math.isclose(f.overtrain_factor(2 * d, n, r), 2 * f.overtrain_factor(d, n, r), rel_tol=1e-12)
    assert math.isclose(f.tokens_per_param(d, n) / r, f.overtrain_factor(d, n, r), rel_tol=1e-12)


@given(n=counts)
def test_weight_memory_scales_with_bytes_per_parameter(n: float):
    by = {p: f.weight_bytes(n, p) for p in f.BYTES_PER_PARAM}
    for p, b in f.BYTES_PER_PARAM.items():
        assert math.isclose(by[p], n * b, rel_tol=1e-12)
        assert math.isclose(f.weight_bytes(2 * n, p), 2 * by[p], rel_tol=1e-12)
    # Fewer bits per weight, less memory: 32 > 16 > 8 > 4 bits.
    assert by["fp32"] == 2 * by["bf16"] == 4 * by["fp8"] == 8 * by["int4"]


@given(total=st.floats(min_value=1.0, max_value=1e13), device=st.floats(min_value=1e6, max_value=1e12))
def test_devices_needed_is_the_smallest_count_that_holds_the_weights(total: float, device: float):
    k = f.devices_needed(total, device)
    assert k >= 1
    assert k * device >= total * (1 - 1e-9)
    assert k == 1 or (k - 1) * device < total


@st.composite
def architectures(draw) -> Arch:
    heads = draw(st.sampled_from([4, 8, 16, 32, 64]))
    kv_heads = draw(st.sampled_from([h for h in (1, 2, 4, 8, 16, 32, 64) if heads % h == 0]))
    head_dim = draw(st.sampled_from([32, 64, 128]))
    experts = draw(st.sampled_from([0, 0, 8, 16]))
    layers = draw(st.integers(1, 96))
    return Arch(
        layers=layers,
        d_model=heads * head_dim,
        heads=heads,
        kv_heads=kv_heads,
        ffn=draw(st.integers(64, 50_000)),
        vocab=draw(st.integers(256, 260_000)),
        tied_embeddings=draw(st.booleans()),
        ffn_kind=draw(st.sampled_from(["gated", "mlp"])),
        norm=draw(st.sampled_from(["rmsnorm", "layernorm"])),
        linear_bias=draw(st.booleans()),
        position=(position := draw(st.sampled_from(["rope", "learned"]))),
        context=draw(st.integers(128, 131_072)) if position == "learned" else None,
        experts=experts,
        experts_per_token=draw(st.integers(1, experts)) if experts else 0,
        shared_experts=draw(st.integers(0, 2)) if experts else 0,
        dense_layers=draw(st.integers(0, layers)) if experts else 0,
    )


@SETTINGS
@given(arch=architectures())
def test_parameter_breakdown_parts_sum_to_the_total(arch: Arch):
    parts = f.param_breakdown(arch)
    assert math.isclose(sum(parts[c] for c in f.COMPONENTS), parts["total"], rel_tol=1e-12)
    assert all(parts[c] >= 0 for c in f.COMPONENTS)
    assert 0 < parts["active"] <= parts["total"]
    if not arch.experts:
        assert parts["active"] == parts["total"]


@SETTINGS
@given(arch=architectures())
def test_more_layers_or_vocabulary_means_more_parameters(arch: Arch):
    from dataclasses import replace

    total = f.param_breakdown(arch)["total"]
    assert f.param_breakdown(replace(arch, layers=arch.layers + 1))["total"] > total
    assert f.param_breakdown(replace(arch, vocab=arch.vocab + 1))["total"] > total
    assert f.param_breakdown(replace(arch, ffn=arch.ffn + 1))["total"] > total
    # Grouped-query attention only ever removes key/value parameters.
    assert f.param_breakdown(replace(arch, kv_heads=arch.heads))["total"] >= total
    if arch.position == "rope" and arch.tied_embeddings:
        layerless = f.param_breakdown(replace(arch, layers=1))
        per_layer = (total - layerless["total"]) / (arch.layers - 1) if arch.layers > 1 else 0
        assert per_layer >= 0


@SETTINGS
@given(
    params=st.floats(min_value=1e8, max_value=2e12),
    share=st.floats(min_value=0.01, max_value=1.0),
    kv=st.floats(min_value=1e3, max_value=1e9),
    batch=st.integers(1, 512),
    gpus=st.integers(1, 64),
    bpp=st.sampled_from([0.5, 1.0, 2.0, 4.0]),
)
def test_a_decode_step_never_gets_shorter_with_a_bigger_batch(params, share, kv, batch, gpus, bpp):
    hw = {"gpu_memory_bytes": 80e9, "gpu_bandwidth_bytes_per_s": 3.35e12, "gpu_peak_flop_per_s": 989e12}
    common = {"total_params": params, "active_params": params * share, "bytes_per_param": bpp}
    common |= {"kv_bytes_per_sequence": kv, "gpus": gpus, "usd_per_gpu_hour": 2.0, **hw}
    small = f.decode_point(batch=batch, **common)
    big = f.decode_point(batch=batch + 1, **common)
    if small is None:
        assert big is None  # what does not fit at batch b cannot fit at b + 1
        return
    if big is not None:
        assert big.step_seconds >= small.step_seconds
        # Per-user speed never rises with batch; total throughput never falls.
        assert big.tokens_per_second_per_user <= small.tokens_per_second_per_user
        assert big.batch / big.step_seconds >= small.batch / small.step_seconds * (1 - 1e-12)
    assert small.bound in ("memory", "compute")
    assert small.usd_per_million_tokens > 0


@SETTINGS
@given(points=st.lists(st.tuples(positive, positive), min_size=1, max_size=30))
def test_the_pareto_frontier_is_never_beaten(points):
    pts = [f.DecodePoint(1, 1, 1 / s, s, p, "memory") for s, p in points]
    frontier = f.pareto_frontier(pts)
    assert frontier
    for q in frontier:
        beaten = [
            p
            for p in pts
            if p.tokens_per_second_per_user >= q.tokens_per_second_per_user
            and p.usd_per_million_tokens < q.usd_per_million_tokens
        ]
        assert not beaten


# --- loader --------------------------------------------------------------------------------------
DATA = ROOT / "data"
BASE_MODEL = """
[[models]]
id = "{id}"
name = {name}
family = {name}
org = {name}
released = 2024-01-01
open_weights = {open}
params = {{ value = {params!r}, unit = "{punit}", status = "{status}", source = "{source}" }}
tokens = {{ value = {tokens!r}, unit = "{tunit}", status = "estimated", source = "{source}" }}
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA, dest)
    return dest


def toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@SETTINGS
@given(
    model_id=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True),
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Zl", "Zp")), min_size=1, max_size=40),
    params=st.floats(min_value=1e-6, max_value=1e16, allow_nan=False, allow_infinity=False),
    tokens=st.floats(min_value=1e-6, max_value=1e17, allow_nan=False, allow_infinity=False),
    punit=st.sampled_from(sorted(UNITS["count"])),
    tunit=st.sampled_from(sorted(UNITS["count"])),
    status=st.sampled_from(["disclosed", "estimated", "claimed", "rumored"]),
    open_weights=st.booleans(),
)
def test_a_random_valid_model_loads_or_is_rejected_in_one_line(
    data_dir: Path, model_id, name, params, tokens, punit, tunit, status, open_weights
):
    original = (DATA / "models.toml").read_text(encoding="utf-8")
    source = next(iter(tomllib.loads((DATA / "sources.toml").read_text(encoding="utf-8"))["sources"]))
    existing = {m["id"] for m in tomllib.loads(original)["models"]}
    assume(model_id not in existing)
    record = BASE_MODEL.format(
        id=model_id,
        name=toml_string(name),
        open=str(open_weights).lower(),
        params=params,
        tokens=tokens,
        punit=punit,
        tunit=tunit,
        status=status,
        source=source,
    )
    (data_dir / "models.toml").write_text(original + record, encoding="utf-8")
    n_base, d_base = params * UNITS["count"][punit], tokens * UNITS["count"][tunit]
    plausible = PLAUSIBLE["params"][0] <= n_base <= PLAUSIBLE["params"][1]
    plausible &= PLAUSIBLE["tokens"][0] <= d_base <= PLAUSIBLE["tokens"][1]
    try:
        book = load(data_dir)
    except DataError as exc:
        message = str(exc)
        assert "\n" not in message and f"model {model_id!r}" in message
        assert not plausible, f"a plausible record was rejected: {message}"
        return
    assert plausible, "an implausible magnitude was accepted"
    m = book.models[model_id]
    assert m.name == name
    assert isinstance(m.params.value, float) and math.isclose(m.params.value, n_base, rel_tol=1e-12)
    assert math.isclose(m.tokens.value, d_base, rel_tol=1e-12)
    assert m.open_weights is open_weights


@pytest.mark.parametrize(
    "literal",
    ["8030000000", "8_030_000_000", "8.03e9", "8.03E+9", "8.03e+09", "803e7", "0x1DEA01380", "8030000000.0"],
)
def test_every_toml_number_form_of_a_count_is_accepted_alike(data_dir: Path, literal: str):
    original = (DATA / "models.toml").read_text(encoding="utf-8")
    old = 'params = { value = 8.03, unit = "B", status = "disclosed", source = "llama3-8b-hf" }'
    assert old in original
    new = f'params = {{ value = {literal}, status = "disclosed", source = "llama3-8b-hf" }}'
    (data_dir / "models.toml").write_text(original.replace(old, new, 1), encoding="utf-8")
    m = load(data_dir).models["llama-3-8b"]
    assert m.params.value == 8.03e9
    assert isinstance(m.params.value, float)
