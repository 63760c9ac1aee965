"""What each entry of the data files may contain: the pydantic schemas of ``data/*.toml`` before resolution.

Types shared by every field (identifiers, text, numbers, dates, constant kinds) are in
:mod:`macros.schema_types`; :mod:`macros.schema` resolves these entries into records and cross-checks them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from .records import PRECISIONS
from .schema_types import (
    KINDS,
    Bool,
    ConstantKind,
    Key,
    NonNegInt,
    Number,
    PosInt,
    ReleaseDate,
    ReleaseYear,
    SourceYear,
    Text,
    Url,
)

Status = Literal["disclosed", "estimated", "claimed", "rumored", "undisclosed"]


# --- raw schemas (what the TOML may contain) -------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RawValue(_Strict):
    value: Number | None = None
    unit: Text | None = None
    status: Status
    source: Key
    note: Text | None = None

    @model_validator(mode="after")
    def _value_matches_status(self) -> RawValue:
        if self.status == "undisclosed" and self.value is not None:
            raise ValueError("an undisclosed value must not have a value")
        if self.status != "undisclosed" and self.value is None:
            raise ValueError(f"a {self.status} value needs a value")
        return self


class RawArch(_Strict):
    source: Key
    status: Status = "disclosed"
    layers: PosInt
    d_model: PosInt
    heads: PosInt
    kv_heads: PosInt
    ffn: PosInt
    vocab: PosInt
    tied_embeddings: Bool
    ffn_kind: Literal["gated", "mlp"] = "gated"
    head_dim: PosInt | None = None
    norm: Literal["rmsnorm", "layernorm"] = "rmsnorm"
    norms_per_layer: NonNegInt = 2
    qk_norm: Bool = False
    linear_bias: Bool = False
    qkv_bias: Bool = False
    position: Literal["rope", "learned"] = "rope"
    context: PosInt | None = None
    experts: NonNegInt = 0
    experts_per_token: NonNegInt = 0
    shared_experts: NonNegInt = 0
    moe_ffn: PosInt | None = None
    dense_layers: NonNegInt = 0
    router_bias: Bool = False
    attention: Literal["standard", "mla"] = "standard"
    q_lora_rank: PosInt | None = None
    kv_lora_rank: PosInt | None = None
    qk_nope_head_dim: PosInt | None = None
    qk_rope_head_dim: PosInt | None = None
    v_head_dim: PosInt | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RawArch:
        if self.kv_heads > self.heads:
            raise ValueError("kv_heads cannot exceed heads")
        if self.heads % self.kv_heads:
            raise ValueError("heads must be a multiple of kv_heads")
        if self.position == "learned" and self.context is None:
            raise ValueError("learned positions need `context`")
        if self.experts and not 0 < self.experts_per_token <= self.experts:
            raise ValueError("experts_per_token must be between 1 and experts")
        if not self.experts and (self.experts_per_token or self.shared_experts or self.moe_ffn or self.router_bias):
            raise ValueError("experts_per_token, shared_experts, moe_ffn and router_bias need `experts`")
        if self.dense_layers > self.layers:
            raise ValueError("dense_layers cannot exceed layers")
        mla = ("q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
        missing = [f for f in mla if getattr(self, f) is None]
        if self.attention == "mla" and missing:
            raise ValueError(f"attention = 'mla' needs {', '.join(missing)}")
        return self


class RawModel(_Strict):
    id: Key
    name: Text
    family: Text
    org: Text
    released: ReleaseDate
    open_weights: Bool
    params: RawValue
    tokens: RawValue
    active_params: RawValue | None = None
    reported_train_flops: RawValue | None = None
    gpu_hours: RawValue | None = None
    gpus: RawValue | None = None
    reported_cost_usd: RawValue | None = None
    train_hardware: Key | None = None
    note: Text | None = None
    arch: RawArch | None = None


class RawHardware(_Strict):
    id: Key
    name: Text
    vendor: Text
    released: ReleaseYear
    memory: RawValue
    bandwidth: RawValue
    peak: dict[Literal[PRECISIONS], RawValue]  # type: ignore[valid-type]
    note: Text | None = None


SourceKind = Literal[
    "paper", "model-card", "config", "announcement", "blog", "datasheet", "article", "forum", "course", "policy", "video"
]  # fmt: skip


class RawSource(_Strict):
    title: Text
    authors: Text
    year: SourceYear
    # None: the document's address was not preserved (it is named, not linked).
    url: Url | None = None
    kind: SourceKind
    note: Text | None = None


class RawConstant(_Strict):
    kind: ConstantKind  # before `value`: the range of the value depends on it
    value: Number
    status: Literal["disclosed", "estimated", "claimed", "rumored"]
    source: Key
    unit: Text
    label: Text
    note: Text | None = None

    @field_validator("value")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        kind = info.data.get("kind")  # absent when `kind` itself is wrong (that error comes first)
        return KINDS[kind].check(kind, value) if kind else value
