"""`make add-model`: a Hugging Face config.json in, a [[models]] entry with its exact parameter count out.

Expected counts are published figures (Hugging Face safetensors totals of the checkpoints the
fixtures come from) or hand computations written out below; none is taken from the tool.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from macros import formulas, schema
from macros.errors import DataError
from macros.placeholders import unfilled
from macros.records import Arch
from scripts import add_model
from scripts.hf_config import arch_fields, read_config
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "hf_configs"

# DeepSeek-V3 by hand. The Hub's safetensors metadata for deepseek-ai/DeepSeek-V3 gives
# BF16 3,918,786,560 + F8_E4M3 680,571,043,840 (+ F32 41,555,600: the FP8 block scales and the
# router biases). That checkpoint holds the main model plus one multi-token-prediction (MTP)
# module, and its F32 part includes one 256-wide router bias per MoE layer (58 main + 1 MTP).
# The MTP module (config: d = 7168, 128 heads, q_lora 1536, kv_lora 512, nope 128, rope 64,
# v 128, 256 routed + 1 shared experts of 2048, vocab 129,280) holds:
D, V = 7168, 129_280
MLA = D * 1536 + 1536 + 1536 * 128 * 192 + D * (512 + 64) + 512 + 512 * 128 * (128 + 128) + 128 * 128 * D
EXPERT = 3 * D * 2048
MOE_LAYER = MLA + 257 * EXPERT + D * 256 + 256 + 2 * D  # attention, experts, router (+bias), 2 norms
MTP = MOE_LAYER + 2 * D * D + 3 * D + 2 * V * D  # + eh_proj, enorm/hnorm/final norm, own embedding and head
DEEPSEEK_V3_TOTAL = 3_918_786_560 + 680_571_043_840 + 59 * 256 - MTP
# Active: of the 256 routed experts in each of the 58 MoE layers, 8 work on a token.
DEEPSEEK_V3_ACTIVE = DEEPSEEK_V3_TOTAL - 58 * (256 - 8) * EXPERT
# Mixtral active: 32 layers, 6 of 8 experts idle per token, each 3 * 4096 * 14336 weights.
MIXTRAL_ACTIVE = 46_702_792_704 - 32 * 6 * 3 * 4096 * 14336

# fixture -> (published total, active or None, id of the same model in data/models.toml or None)
CASES = {
    "llama2": (6_738_415_616, None, "llama-2-7b"),  # meta-llama/Llama-2-7b-hf
    "llama3": (8_030_261_248, None, "llama-3-8b"),  # meta-llama/Meta-Llama-3-8B
    "llama3.1": (8_030_261_248, None, None),  # meta-llama/Llama-3.1-8B (llama3 rope_scaling)
    "mistral": (7_241_732_096, None, "mistral-7b"),  # mistralai/Mistral-7B-v0.1
    "mixtral": (46_702_792_704, MIXTRAL_ACTIVE, "mixtral-8x7b"),  # mistralai/Mixtral-8x7B-v0.1
    "qwen2": (7_615_616_512, None, "qwen2.5-7b"),  # Qwen/Qwen2.5-7B (q/k/v biases)
    "gemma2": (9_241_705_984, None, "gemma-2-9b"),  # google/gemma-2-9b (4 norms, tied, head_dim 256)
    "gemma3": (268_098_176, None, "gemma-3-270m"),  # google/gemma-3-270m (+ qk-norm)
    "phi3": (3_821_079_552, None, "phi-3-mini"),  # microsoft/Phi-3-mini-4k-instruct
    "deepseek_v3": (DEEPSEEK_V3_TOTAL, DEEPSEEK_V3_ACTIVE, "deepseek-v3"),  # deepseek-ai/DeepSeek-V3
}


def entry_for(name: str, model_id: str = "new-model") -> tuple[str, dict[str, float]]:
    return add_model.build_entry(FIXTURES / f"{name}.json", model_id)


@pytest.mark.parametrize("name", CASES)
def test_exact_count_matches_the_published_figure(name):
    total, active, _ = CASES[name]
    text, parts = entry_for(name)
    entry = tomllib.loads(text)["models"][0]
    assert entry["params"]["value"] == total
    assert parts["total"] == total
    if active is None:
        assert "active_params" not in entry
    else:
        assert entry["active_params"]["value"] == active


def test_deepseek_v3_agrees_with_the_published_671b_and_37b():
    _, parts = entry_for("deepseek_v3")
    assert round(parts["total"] / 1e9) == 671  # the paper's 671B, MTP module excluded
    assert abs(parts["active"] - 37e9) / 37e9 < 0.02  # the paper's 37B (embedding included here)
    text, _ = entry_for("deepseek_v3")
    assert "num_nextn_predict_layers = 1" in text and "NOT counted" in text


def _normalised(arch: Arch) -> Arch:
    return dataclasses.replace(arch, head_dim=arch.head_dim or arch.d_model // arch.heads)


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case[2]])
def test_entry_for_a_model_already_in_data_matches_it(name):
    existing = schema.validate(ROOT / "data").models[CASES[name][2]]
    fields, _ = arch_fields(read_config(FIXTURES / f"{name}.json"), name)
    produced = Arch(**fields)
    if name == "mistral":
        # config.json says max_position_embeddings 32768; the book keeps the paper's 8192 training context.
        produced = dataclasses.replace(produced, context=existing.arch.context)
    assert _normalised(produced) == _normalised(existing.arch)
    assert formulas.param_breakdown(produced) == formulas.param_breakdown(existing.arch)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def test_unfilled_placeholder_is_refused_by_the_loader_in_one_line(data_copy):
    assert (
        add_model.main(
            [str(FIXTURES / "llama3.json"), "--id", "new-model", "--append", "--models", str(data_copy / "models.toml")]
        )
        == 0
    )
    with pytest.raises(DataError) as err:
        schema.validate(data_copy)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(
        f"{(data_copy / 'models.toml').as_posix()}: model 'new-model', field 'name': placeholder not filled in"
    )
    assert "e.g. Llama 3 8B" in msg  # says what would be valid


FILLS = {"released": "2024-01-01", "tokens.status": '"undisclosed"'}


def _fill(text: str, keep: str = "", count: int = -1) -> str:
    """Replace every placeholder with a valid value, except ``keep`` (all but its last ``count`` uses)."""
    for key in add_model.HINTS:
        todo, value = f'"{add_model.TODO[key]}"', FILLS.get(key, '"book-policy"' if "source" in key else '"Filled"')
        if key != keep:
            text = text.replace(todo, value)
        elif count >= 0:
            text = text.replace(todo, value, count)
    return text


@pytest.mark.parametrize(
    ("keep", "count", "field"),
    [
        ("name", -1, "name"),
        ("released", -1, "released"),
        ("tokens.status", -1, "tokens.status"),
        ("tokens.source", -1, "tokens.source"),
        ("source", -1, "params.source"),
        ("source", 1, "active_params.source"),
        ("source", 2, "arch.source"),
    ],
)
def test_every_placeholder_is_refused_naming_its_field(data_copy, keep, count, field):
    text = _fill(entry_for("mixtral")[0], keep, count)
    (data_copy / "models.toml").write_text((data_copy / "models.toml").read_text() + "\n" + text)
    with pytest.raises(DataError) as err:
        schema.validate(data_copy)
    assert re.fullmatch(
        rf"\S+/models\.toml: model 'new-model', field '{re.escape(field)}': placeholder not filled in; write \w.*",
        str(err.value),
    )


@pytest.mark.parametrize("name", CASES)
def test_filled_entry_loads_and_passes_the_architecture_check(data_copy, name):
    text = _fill(entry_for(name)[0])
    assert unfilled(tomllib.loads(text)) is None
    (data_copy / "models.toml").write_text((data_copy / "models.toml").read_text() + "\n" + text)
    model = schema.validate(data_copy).models["new-model"]
    assert formulas.param_breakdown(model.arch)["total"] == CASES[name][0]


def test_append_refuses_a_duplicate_id_in_one_line(data_copy, capsys):
    before = (data_copy / "models.toml").read_text()
    rc = add_model.main(
        [str(FIXTURES / "llama3.json"), "--id", "llama-3-8b", "--append", "--models", str(data_copy / "models.toml")]
    )
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1
    assert "model 'llama-3-8b', field 'id': already used" in err
    assert (data_copy / "models.toml").read_text() == before


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.json"
    path.write_text(text)
    return path


def _with(fixture: str, **changes) -> str:
    """The fixture's JSON with keys changed (``...`` removes a key)."""
    cfg = read_config(FIXTURES / f"{fixture}.json")
    for key, value in changes.items():
        if value is ...:
            cfg.pop(key, None)
        else:
            cfg[key] = value
    return json.dumps(cfg)


def _llama3_with(**changes) -> str:
    return _with("llama3", **changes)


def _deepseek_with(**changes) -> str:
    return _with("deepseek_v3", **changes)


FAILURES = {
    "not-json": ("{ 'hidden_size': 4096 }", "not valid JSON"),
    "not-an-object": ("[1, 2, 3]", "expected a JSON object"),
    "missing-hidden-size": (_llama3_with(hidden_size=...), "field 'hidden_size': required but missing"),
    "string-number": (
        _llama3_with(num_hidden_layers="32"),
        "field 'num_hidden_layers': expected a whole number >= 1, got \"32\"",
    ),
    "float-number": (
        _llama3_with(vocab_size=128256.0),
        "field 'vocab_size': expected a whole number >= 1, got 128256.0",
    ),
    "bool-number": (_llama3_with(intermediate_size=True), "field 'intermediate_size': expected a whole number"),
    "zero-heads": (
        _llama3_with(num_attention_heads=0),
        "field 'num_attention_heads': expected a whole number >= 1, got 0",
    ),
    "kv-heads-not-dividing": (_llama3_with(num_key_value_heads=5), "field 'num_key_value_heads': 5 must divide"),
    "string-bool": (_llama3_with(tie_word_embeddings="false"), "field 'tie_word_embeddings': expected true or false"),
    "unsupported-model-type": (
        _llama3_with(model_type="gpt2", architectures=["GPT2LMHeadModel"]),
        "model_type 'gpt2' (GPT2LMHeadModel) is not handled; supported model_type: llama",
    ),
    "classification-head": (
        _llama3_with(architectures=["LlamaForSequenceClassification"]),
        "field 'architectures' ['LlamaForSequenceClassification'] is not the causal language model the formulas count",
    ),
    "no-model-type": (
        _llama3_with(model_type=..., architectures=["FalconForCausalLM"]),
        "unsupported architecture ['FalconForCausalLM']",
    ),
    "no-family-at-all": (_llama3_with(model_type=..., architectures=...), "field 'model_type': missing"),
    "multimodal": (
        _llama3_with(model_type="gemma3", vision_config={"hidden_size": 1152}),
        "multimodal config (vision_config/text_config)",
    ),
    "attention-bias": (
        _llama3_with(attention_bias=True),
        "attention_bias = true (biases on the attention or FFN projections) is not modelled",
    ),
    "moe-layer-freq": (
        _deepseek_with(moe_layer_freq=2),
        "moe_layer_freq = 2 (MoE layers interleaved with dense ones) is not modelled",
    ),
    "mla-without-q-lora": (_deepseek_with(q_lora_rank=None), "q_lora_rank = null"),
    "mla-missing-rank": (_deepseek_with(kv_lora_rank=...), "field 'kv_lora_rank': required but missing"),
    "top-k-above-experts": (
        _deepseek_with(num_experts_per_tok=300),
        "field 'num_experts_per_tok': 300 exceeds the 256 experts",
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_each_failure_is_one_line_naming_the_file(tmp_path, capsys, case):
    text, expected = FAILURES[case]
    path = _write(tmp_path, text)
    rc = add_model.main([str(path), "--id", "new-model"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"add-model: {path.as_posix()}: ")
    assert expected in err


def test_bad_id_and_missing_file_are_one_line(tmp_path, capsys):
    assert add_model.main([str(FIXTURES / "llama3.json"), "--id", "Llama 3"]) == 2
    assert (
        capsys.readouterr().err
        == "add-model: --id 'Llama 3': must be lowercase letters, digits, '.', '-' or '_' (e.g. llama-3-8b)\n"
    )
    assert add_model.main([str(tmp_path / "nope.json"), "--id", "x"]) == 2
    assert capsys.readouterr().err == f"add-model: {(tmp_path / 'nope.json').as_posix()}: file not found\n"


def test_make_target_prints_the_entry_and_fails_cleanly():
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # -o: never reinstall the (shared) virtualenv from a test, even when requirements.txt looks newer.
    ok = subprocess.run(
        [
            "make",
            "-s",
            "-o",
            ".venv/.site-installed",
            "add-model",
            "CONFIG=tests/fixtures/hf_configs/llama3.json",
            "ID=new-model",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "value = 8030261248" in ok.stdout and tomllib.loads(ok.stdout)["models"][0]["id"] == "new-model"
    bad = subprocess.run(
        [sys.executable, "scripts/add_model.py", "README.md", "--id", "x"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_loader_refuses_router_bias_without_experts(data_copy):
    models = data_copy / "models.toml"
    text = models.read_text()
    models.write_text(text.replace("qkv_bias = true\n", "qkv_bias = true\nrouter_bias = true\n", 1))
    with pytest.raises(DataError) as err:
        schema.validate(data_copy)
    assert str(err.value).endswith(
        "field 'arch': experts_per_token, shared_experts, moe_ffn and router_bias need `experts`"
    )
