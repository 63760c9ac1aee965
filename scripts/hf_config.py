"""Read a Hugging Face ``config.json`` into the fields of ``macros.records.Arch``.

One function does the work, :func:`arch_fields`: it takes the parsed JSON and returns the
``[models.arch]`` fields in the order ``data/README.md`` lists them, plus notes for the
author. Every problem raises :class:`ConfigError` with one line that names the file, the
field and what would be valid. Nothing here counts parameters: ``macros.formulas`` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A config.json the tool cannot read or does not support (the message is one line)."""


@dataclass(frozen=True)
class Family:
    """What a ``model_type`` adds to the plain decoder (RMSNorm, gated FFN, RoPE)."""

    label: str
    tied_default: bool = False  # transformers' default for a missing tie_word_embeddings
    norms_per_layer: int = 2  # Gemma 2/3 add pre- and post-feed-forward norms
    qk_norm: bool = False  # Gemma 3 normalises each head's query and key
    qkv_bias: bool = False  # Qwen2 has biases on q, k and v (always; not in the config)
    head_dim_required: bool = False  # Gemma: head_dim is not d_model / heads
    moe: str = ""  # "mixtral" (experts only) or "deepseek" (shared experts, dense layers, MLA)


FAMILIES: dict[str, Family] = {
    "llama": Family("Llama 2 / 3 / 3.1 / 3.2 / 3.3"),
    "mistral": Family("Mistral"),
    "mixtral": Family("Mixtral", moe="mixtral"),
    "qwen2": Family("Qwen2 / Qwen2.5", qkv_bias=True),
    "gemma2": Family("Gemma 2", tied_default=True, norms_per_layer=4, head_dim_required=True),
    "gemma3_text": Family("Gemma 3", tied_default=True, norms_per_layer=4, qk_norm=True, head_dim_required=True),
    "phi3": Family("Phi-3"),
    "deepseek_v3": Family("DeepSeek-V3", moe="deepseek"),
}
# The class names transformers writes into "architectures", for configs without model_type.
ARCHITECTURES = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "mistral",
    "MixtralForCausalLM": "mixtral",
    "Qwen2ForCausalLM": "qwen2",
    "Gemma2ForCausalLM": "gemma2",
    "Gemma3ForCausalLM": "gemma3_text",
    "Phi3ForCausalLM": "phi3",
    "DeepseekV3ForCausalLM": "deepseek_v3",
}
MLA_FIELDS = ("q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")


def read_config(path: Path, where: str | None = None) -> dict[str, Any]:
    """Parse ``path`` as a JSON object; one-line :class:`ConfigError` (naming ``where``) otherwise."""
    where = where or path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read the file ({exc.__class__.__name__})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{where}: expected a JSON object {{...}}, got a {type(doc).__name__}")
    return doc


def family_of(cfg: dict[str, Any], where: str) -> tuple[str, Family]:
    """The supported family a config belongs to, or one line naming what is missing."""
    supported = ", ".join(FAMILIES)
    if "vision_config" in cfg or "text_config" in cfg:
        raise ConfigError(
            f"{where}: unsupported architecture: a multimodal config (vision_config/text_config); "
            f"macros.records.Arch models text decoders only (supported model_type: {supported})"
        )
    model_type = cfg.get("model_type")
    archs = cfg.get("architectures")
    if model_type is None and isinstance(archs, list):
        model_type = next((ARCHITECTURES[a] for a in archs if a in ARCHITECTURES), None)
        if model_type is None:
            raise ConfigError(
                f"{where}: unsupported architecture {archs!r}: no model_type, and no known class "
                f"(known: {', '.join(ARCHITECTURES)})"
            )
    if model_type is None:
        raise ConfigError(f"{where}: field 'model_type': missing, and no 'architectures' list to tell the family")
    if not isinstance(model_type, str):
        raise ConfigError(f"{where}: field 'model_type': expected a string, got {model_type!r}")
    if model_type not in FAMILIES:
        shown = f" ({', '.join(map(str, archs))})" if isinstance(archs, list) else ""
        raise ConfigError(
            f"{where}: unsupported architecture: model_type {model_type!r}{shown} is not handled; "
            f"supported model_type: {supported}"
        )
    # A classification head or another task class has other weights than the language-model head.
    if isinstance(archs, list) and archs and not any(ARCHITECTURES.get(a) == model_type for a in archs):
        want = [a for a, t in ARCHITECTURES.items() if t == model_type]
        raise ConfigError(
            f"{where}: unsupported architecture: field 'architectures' {archs!r} is not the causal language "
            f"model the formulas count (expected {want[0]})"
        )
    return model_type, FAMILIES[model_type]


def _int(cfg: dict[str, Any], key: str, where: str, *, default: int | None = None, minimum: int = 1) -> int:
    value = cfg.get(key, default)
    if value is None:
        raise ConfigError(f"{where}: field {key!r}: required but missing (a whole number >= {minimum})")
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{where}: field {key!r}: expected a whole number >= {minimum}, got {json.dumps(value)}")
    return value


def _bool(cfg: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = cfg.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: field {key!r}: expected true or false, got {json.dumps(value)}")
    return value


def _unsupported(where: str, key: str, value: Any, why: str) -> ConfigError:
    return ConfigError(
        f"{where}: unsupported architecture: {key} = {json.dumps(value)} ({why}) is not modelled by macros.records.Arch"
    )


def arch_fields(cfg: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """``[models.arch]`` fields (without source/status) and notes for the author."""
    model_type, fam = family_of(cfg, where)
    notes: list[str] = [f"Read from a {fam.label} config.json (model_type {model_type!r})."]
    for key in ("attention_bias", "mlp_bias"):
        if _bool(cfg, key, where, False):
            raise _unsupported(where, key, True, "biases on the attention or FFN projections")
    d_model = _int(cfg, "hidden_size", where)
    heads = _int(cfg, "num_attention_heads", where)
    kv_heads = _int(cfg, "num_key_value_heads", where, default=heads)
    if kv_heads > heads or heads % kv_heads:
        raise ConfigError(f"{where}: field 'num_key_value_heads': {kv_heads} must divide num_attention_heads ({heads})")
    fields: dict[str, Any] = {
        "layers": _int(cfg, "num_hidden_layers", where),
        "d_model": d_model,
        "heads": heads,
        "kv_heads": kv_heads,
    }
    if fam.head_dim_required or "head_dim" in cfg:
        fields["head_dim"] = _int(cfg, "head_dim", where)
    elif d_model % heads:
        raise ConfigError(
            f"{where}: field 'head_dim': missing, and hidden_size {d_model} is not a multiple of {heads} heads"
        )
    fields |= {
        "ffn": _int(cfg, "intermediate_size", where),
        "ffn_kind": "gated",
        "vocab": _int(cfg, "vocab_size", where),
        "tied_embeddings": _bool(cfg, "tie_word_embeddings", where, fam.tied_default),
        "norm": "rmsnorm",
    }
    if fam.norms_per_layer != 2:
        fields["norms_per_layer"] = fam.norms_per_layer
    if fam.qk_norm:
        fields["qk_norm"] = True
    if fam.qkv_bias:
        fields["qkv_bias"] = True
    fields["position"] = "rope"
    if "max_position_embeddings" in cfg:
        fields["context"] = _int(cfg, "max_position_embeddings", where)
    if fam.moe == "mixtral":
        fields |= _mixtral(cfg, where)
    elif fam.moe == "deepseek":
        fields |= _deepseek(cfg, where, notes)
    return fields, notes


def _mixtral(cfg: dict[str, Any], where: str) -> dict[str, Any]:
    experts = _int(cfg, "num_local_experts", where)
    return {
        "experts": experts,
        "experts_per_token": _top_k(cfg, experts, where),
        "shared_experts": 0,
        "dense_layers": 0,
    }


def _top_k(cfg: dict[str, Any], experts: int, where: str) -> int:
    k = _int(cfg, "num_experts_per_tok", where)
    if k > experts:
        raise ConfigError(f"{where}: field 'num_experts_per_tok': {k} exceeds the {experts} experts")
    return k


def _deepseek(cfg: dict[str, Any], where: str, notes: list[str]) -> dict[str, Any]:
    if cfg.get("q_lora_rank", 0) is None:
        raise _unsupported(where, "q_lora_rank", None, "queries without a low-rank bottleneck, as in DeepSeek-V2-Lite")
    freq = _int(cfg, "moe_layer_freq", where, default=1)
    if freq != 1:
        raise _unsupported(where, "moe_layer_freq", freq, "MoE layers interleaved with dense ones")
    layers = _int(cfg, "num_hidden_layers", where)
    dense = _int(cfg, "first_k_dense_replace", where, default=0, minimum=0)
    if dense > layers:
        raise ConfigError(f"{where}: field 'first_k_dense_replace': {dense} exceeds the {layers} layers")
    experts = _int(cfg, "n_routed_experts", where)
    out: dict[str, Any] = {
        "experts": experts,
        "experts_per_token": _top_k(cfg, experts, where),
        "shared_experts": _int(cfg, "n_shared_experts", where, default=0, minimum=0),
        "moe_ffn": _int(cfg, "moe_intermediate_size", where),
        "dense_layers": dense,
    }
    # V3's "noaux_tc" routing (its default) adds a per-expert bias (e_score_correction_bias) to each router.
    if cfg.get("topk_method", "noaux_tc") == "noaux_tc":
        out["router_bias"] = True
    out["attention"] = "mla"
    out |= {key: _int(cfg, key, where) for key in MLA_FIELDS}
    mtp = _int(cfg, "num_nextn_predict_layers", where, default=0, minimum=0)
    if mtp:
        notes.append(
            f"num_nextn_predict_layers = {mtp}: the multi-token-prediction module (a training objective, reused "
            "for speculative decoding) is NOT counted; DeepSeek's published total excludes it too, while the "
            "checkpoint's safetensors total includes it."
        )
    return out
