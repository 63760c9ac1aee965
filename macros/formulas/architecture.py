"""Parameter count and KV cache from an architecture: pure formulas over a duck-typed :class:`Arch`.

The loader's record (:class:`macros.records.Arch`) has every field :class:`Arch` names; so does any
object a test builds. Nothing here imports the rest of the project.
"""

from __future__ import annotations

from typing import Protocol


# --- parameter count from an architecture -----------------------------------------------
class Arch(Protocol):
    """The architecture fields the formulas read (the loader's record has them; see data/README.md)."""

    layers: int
    d_model: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    tied_embeddings: bool
    ffn_kind: str
    head_dim: int | None
    norm: str
    norms_per_layer: int
    qk_norm: bool
    linear_bias: bool
    qkv_bias: bool
    position: str
    context: int | None
    experts: int
    experts_per_token: int
    shared_experts: int
    moe_ffn: int | None
    dense_layers: int
    router_bias: bool
    attention: str
    q_lora_rank: int | None
    kv_lora_rank: int | None
    qk_nope_head_dim: int | None
    qk_rope_head_dim: int | None
    v_head_dim: int | None


COMPONENTS = ("embedding", "position", "attention", "ffn", "norms", "head")


def _norm_params(arch: Arch, width: int) -> int:
    return width * (2 if arch.norm == "layernorm" else 1)


def attention_params(arch: Arch) -> int:
    """Weights of one attention block (projections, their biases and q/k norms)."""
    d = arch.d_model
    if arch.attention == "mla":
        # Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass
        # through low-rank bottlenecks, each followed by an RMSNorm.
        qk_head = arch.qk_nope_head_dim + arch.qk_rope_head_dim
        q = d * arch.q_lora_rank + arch.q_lora_rank + arch.q_lora_rank * arch.heads * qk_head
        kv = (
            d * (arch.kv_lora_rank + arch.qk_rope_head_dim)
            + arch.kv_lora_rank
            + arch.kv_lora_rank * arch.heads * (arch.qk_nope_head_dim + arch.v_head_dim)
        )
        out = arch.heads * arch.v_head_dim * d
        return q + kv + out
    hd = arch.head_dim or d // arch.heads
    q_width, kv_width = arch.heads * hd, arch.kv_heads * hd
    weights = d * q_width + 2 * d * kv_width + q_width * d
    biases = 0
    if arch.linear_bias:
        biases = q_width + 2 * kv_width + d
    elif arch.qkv_bias:
        biases = q_width + 2 * kv_width
    qk_norms = 2 * _norm_params(arch, hd) if arch.qk_norm else 0
    return weights + biases + qk_norms


def ffn_params(arch: Arch, hidden: int) -> int:
    """One feed-forward network of hidden size ``hidden``."""
    d = arch.d_model
    matrices = 3 if arch.ffn_kind == "gated" else 2
    biases = (hidden + d) if arch.linear_bias else 0
    return matrices * d * hidden + biases


def param_breakdown(arch: Arch) -> dict[str, float]:
    """Parameters by component, plus ``total`` and ``active`` (per token, for MoE).

    Components: token embedding, learned positions, attention, feed-forward (all
    experts and routers), norms (per layer and final), and the output head (zero when
    tied to the embedding).
    """
    d = arch.d_model
    embedding = arch.vocab * d
    position = (arch.context or 0) * d if arch.position == "learned" else 0
    head = 0 if arch.tied_embeddings else arch.vocab * d
    attention = arch.layers * attention_params(arch)
    norms = arch.layers * arch.norms_per_layer * _norm_params(arch, d) + _norm_params(arch, d)

    if arch.experts:
        moe_layers = arch.layers - arch.dense_layers
        expert = ffn_params(arch, arch.moe_ffn or arch.ffn)
        # A router is a d_model -> experts projection, plus (DeepSeek-V3) a per-expert bias.
        router = d * arch.experts + (arch.experts if arch.router_bias else 0)
        dense = arch.dense_layers * ffn_params(arch, arch.ffn)
        ffn_total = dense + moe_layers * ((arch.experts + arch.shared_experts) * expert + router)
        ffn_active = dense + moe_layers * ((arch.experts_per_token + arch.shared_experts) * expert + router)
    else:
        ffn_total = ffn_active = arch.layers * ffn_params(arch, arch.ffn)

    parts = {
        "embedding": embedding,
        "position": position,
        "attention": attention,
        "ffn": ffn_total,
        "norms": norms,
        "head": head,
    }
    total = sum(parts.values())
    parts["total"] = total
    parts["active"] = total - ffn_total + ffn_active
    out = {}
    for key in parts:
        out[key] = float(parts[key])
    return out


def relative_error(computed: float, stated: float) -> float:
    return abs(computed - stated) / stated


def kv_cache_bytes_per_token(arch: Arch, bytes_per_value: float) -> float:
    """Bytes of KV cache one token occupies across all layers.

    Standard attention stores a key and a value vector per key/value head per layer:
    2 · layers · kv_heads · head_dim values. Multi-head latent attention (DeepSeek-V2/V3)
    caches one compressed latent of width kv_lora_rank plus the shared RoPE key per layer.
    """
    if arch.attention == "mla":
        per_layer = arch.kv_lora_rank + arch.qk_rope_head_dim
    else:
        per_layer = 2 * arch.kv_heads * (arch.head_dim or arch.d_model // arch.heads)
    return arch.layers * per_layer * bytes_per_value
