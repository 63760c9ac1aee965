"""A tiny hand-made book for unit tests: every expected value in the tests is worked out by hand."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from macros.records import Arch, Book, Constant, Hardware, Model, Source, Value

# 2 layers, d_model 8, 2 heads of 4, 1 KV head, gated FFN 16, vocabulary 10, untied head.
# embedding 10·8 = 80; head 80; attention per layer 8·8 + 2·8·4 + 8·8 = 192 (×2 = 384);
# FFN per layer 3·8·16 = 384 (×2 = 768); norms 2·2·8 + 8 = 40. Total 1,352.
TOY_ARCH = Arch(layers=2, d_model=8, heads=2, kv_heads=1, ffn=16, vocab=10, tied_embeddings=False)

CONSTANTS = {
    "chinchilla_tokens_per_param": 20.0,
    "era_bigger_start_year": 2018.0,
    "era_balance_start_year": 2022.0,
    "era_overtrain_start_year": 2023.0,
    "chinchilla_e": 1.0,
    "chinchilla_a": 100.0,
    "chinchilla_b": 1000.0,
    "chinchilla_alpha": 0.5,
    "chinchilla_beta": 0.5,
    "kaplan_n_c": 8.8e13,
    "kaplan_alpha_n": 0.076,
    "decode_context_tokens": 1000.0,
    "decode_utilisation": 0.5,
    "decode_gpus_max": 8.0,
    "decode_batch_max": 4.0,
    "decode_shrink_steps": 2.0,
    "toy_price": 2.0,
    "toy_fraction": 2.5,
}


def value(x: float | None, status: str = "disclosed") -> Value:
    return Value(x, status if x is not None else "undisclosed", "toy-source")


def model(mid: str, params: float | None, tokens: float | None, tokens_status: str = "disclosed", **kw) -> Model:
    fields = dict(
        id=mid,
        name=mid.upper(),
        family="toy",
        org="Toy Lab",
        released=dt.date(2024, 1, 1),
        open_weights=True,
        params=value(params),
        tokens=value(tokens, tokens_status),
        active_params=None,
        reported_train_flops=None,
        gpu_hours=None,
        gpus=None,
        reported_cost_usd=None,
        train_hardware=None,
        note=None,
        arch=None,
        arch_source=None,
        arch_status=None,
    )
    fields.update(kw)
    return Model(**fields)


MODELS = {
    # dense, estimated tokens: 6·8e9·16e12 = 7.68e23 FLOP; 2,000 tokens per parameter.
    "dense": model("dense", 8e9, 16e12, "estimated", released=dt.date(2020, 5, 1)),
    # MoE: 47e9 total, 13e9 active, 8e12 tokens: 6·13e9·8e12 = 6.24e23 FLOP.
    "moe": model("moe", 47e9, 8e12, active_params=value(13e9, "rumored"), released=dt.date(2022, 3, 1)),
    "secret": model("secret", 1e12, None),
    "small": model("small", 6.25e9, 1e12),
    # 6 · 1e9 · 1e12 = 6e21 FLOP in 10,000 GPU-hours on the toy GPU (989.5 TFLOP/s at BF16)
    "trained": model("trained", 1e9, 1e12, gpu_hours=value(1e4), train_hardware="gpu"),
    "toy-arch": model("toy-arch", 1352.0, 1e6, arch=TOY_ARCH, arch_source="toy-source", arch_status="disclosed"),
}

HARDWARE = {
    "gpu": Hardware(
        id="gpu",
        name="Toy GPU",
        vendor="Toy",
        released=2023,
        memory_bytes=value(80e9),  # 80 GB
        bandwidth_bytes_per_s=value(3.35e12),  # 3.35 TB/s
        peak_flop_per_s=MappingProxyType({"bf16": value(989.5e12), "fp8": value(1979e12)}),  # TFLOP/s
        note=None,
    )
}


def book(**drop: bool) -> Book:
    """The toy book; ``drop`` names constants to leave out (``book(decode_gpus_max=True)``)."""
    constants = {
        k: Constant(
            key=k, value=v, status="disclosed", source="toy-source", unit="", label=k.replace("_", " "), note=None
        )
        for k, v in CONSTANTS.items()
        if not drop.get(k)
    }
    source = Source(
        "toy-source", "Toy paper", "Ada Lovelace, Alan Turing, et al.", 2024, "https://example.org", "paper", None
    )
    return Book(
        models=MappingProxyType(MODELS),
        hardware=MappingProxyType(HARDWARE),
        sources=MappingProxyType({"toy-source": source}),
        constants=MappingProxyType(constants),
    )
