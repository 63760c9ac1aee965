"""The loader: the real data loads; each malformed file stops with one exact, named message."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from macros import formulas
from macros.data import DataError, load

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def test_real_data_loads_and_covers_the_required_models():
    book = load(DATA)
    required = {
        "gpt-1", "gpt-2", "gpt-3", "gopher", "chinchilla", "palm", "llama-2-7b", "llama-2-13b", "llama-2-70b",
        "llama-3-8b", "llama-3-70b", "llama-3.1-405b", "llama-3.2-1b", "llama-3.2-3b", "llama-3.3-70b",
        "mistral-7b", "mixtral-8x7b", "mistral-large-2", "phi-3-mini", "gemma-2-9b", "gemma-3-270m",
        "qwen2.5-7b", "deepseek-v3", "gpt-4", "gpt-4o", "claude-3.5-sonnet",
    }  # fmt: skip
    assert required <= set(book.models)
    assert {"v100-sxm2", "a100-sxm-80gb", "h100-sxm", "h800-sxm", "h200-sxm", "b200"} <= set(book.hardware)
    assert book.models["gpt-4"].params.status == "rumored"
    assert book.models["gpt-4o"].params.status == "estimated"


def test_values_are_converted_to_base_units_independently_of_the_loader():
    raw = tomllib.loads((DATA / "models.toml").read_text())
    entry = next(m for m in raw["models"] if m["id"] == "llama-3-8b")
    scale = {"B": 1e9, "T": 1e12, "M": 1e6}
    book = load(DATA)
    m = book.models["llama-3-8b"]
    assert m.params.value == pytest.approx(entry["params"]["value"] * scale[entry["params"].get("unit", "B")])
    assert isinstance(m.params.value, float)


def test_every_public_architecture_sums_to_its_stated_total():
    book = load(DATA)
    tol = book.constants["arch_tolerance"].value
    checked = 0
    for m in book.models.values():
        if m.arch and m.params.known:
            total = formulas.param_breakdown(m.arch)["total"]
            assert formulas.relative_error(total, m.params.value) <= tol, m.id
            checked += 1
    assert checked >= 15


def broken(tmp_path: Path, file: str, old: str, new: str, count: int = 1) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = (data / file).read_text()
    assert old in text, f"fixture drifted: {old!r} not in {file}"
    (data / file).write_text(text.replace(old, new, count))
    return data


LLAMA_PARAMS = 'params = { value = 8.03, unit = "B", status = "disclosed", source = "llama3-8b-hf" }'
CASES = [
    (
        "number as a string",
        ("models.toml", LLAMA_PARAMS, 'params = { value = "8.03e9", status = "disclosed", source = "llama3-8b-hf" }'),
        "data/models.toml: model 'llama-3-8b', field 'params.value': expected a number, got the string '8.03e9' (write numbers without quotes)",
    ),
    (
        "unknown unit",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = 8.03, unit = "G", status = "disclosed", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.unit': unknown unit 'G'; use one of 1, K, M, B, T",
    ),
    (
        "negative value",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = -8.03, unit = "B", status = "disclosed", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.value': must be positive, got -8.03",
    ),
    (
        "not finite",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = nan, unit = "B", status = "disclosed", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.value': is not a finite number: the value is not a number (nan); write a finite number",
    ),
    (
        "unit slip of a billion",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = 8.03e9, unit = "B", status = "disclosed", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.value': 8.03e+09 B = 8.03e+18 is outside the plausible range 1e+04 to 1e+15; check the value and its unit",
    ),
    (
        "unknown status",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = 8.03, unit = "B", status = "leaked", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.status': Input should be 'disclosed', 'estimated', 'claimed', 'rumored' or 'undisclosed', got 'leaked'",
    ),
    (
        "missing source key",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = 8.03, unit = "B", status = "disclosed", source = "no-such-paper" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params.source': unknown source 'no-such-paper' (add it to data/sources.toml)",
    ),
    (
        "undisclosed with a value",
        (
            "models.toml",
            LLAMA_PARAMS,
            'params = { value = 8.03, unit = "B", status = "undisclosed", source = "llama3-8b-hf" }',
        ),
        "data/models.toml: model 'llama-3-8b', field 'params': an undisclosed value must not have a value",
    ),
    (
        "duplicate id",
        ("models.toml", 'id = "llama-3-70b"', 'id = "llama-3-8b"'),
        "data/models.toml: model 'llama-3-8b', field 'id': duplicate id (already used by an earlier model)",
    ),
    (
        "missing required field",
        ("models.toml", 'name = "Llama 3 8B"\n', ""),
        "data/models.toml: model 'llama-3-8b', field 'name': is required but missing",
    ),
    (
        "misspelt field",
        ("models.toml", 'name = "Llama 3 8B"\n', 'nmae = "Llama 3 8B"\n'),
        "data/models.toml: model 'llama-3-8b', field 'name': is required but missing",
    ),
    (
        "active above total",
        ("models.toml", "active_params = { value = 12_879_925_248,", "active_params = { value = 129_000_000_000,"),
        "data/models.toml: model 'mixtral-8x7b', field 'active_params.value': 1.29e+11 active exceeds 4.67e+10 total parameters",
    ),
    (
        "architecture that does not sum",
        ("models.toml", "ffn = 14336\nffn_kind", "ffn = 24336\nffn_kind"),
        "data/models.toml: model 'llama-3-8b', field 'arch': computes 11,962,421,248 params, 49.0% off the stated 8,030,000,000 (tolerance 2%)",
    ),
    (
        "broken TOML",
        ("models.toml", 'name = "Llama 3 8B"', 'name = "Llama 3 8B'),
        None,  # message checked by prefix below
    ),
    (
        "non-http source URL",
        ("sources.toml", 'url = "https://arxiv.org/abs/2203.15556"', 'url = "javascript:alert(1)"'),
        "data/sources.toml: source 'hoffmann2022', field 'url': must be an http(s) URL, got 'javascript:alert(1)'",
    ),
    (
        "boolean where a number belongs",
        (
            "models.toml",
            "layers = 32\nd_model = 4096\nheads = 32\nkv_heads = 8",
            "layers = true\nd_model = 4096\nheads = 32\nkv_heads = 8",
        ),
        "data/models.toml: model 'llama-3-8b', field 'arch.layers': expected a number, got the boolean true",
    ),
]


@pytest.mark.parametrize(("case", "edit", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_data_stops_with_one_exact_line(tmp_path, case, edit, message):
    data = broken(tmp_path, *edit)
    with pytest.raises(DataError) as exc:
        load(data)
    text = str(exc.value).replace(tmp_path.as_posix() + "/", "")
    assert "\n" not in text
    if message is None:
        assert text.startswith("data/models.toml: invalid TOML: ")
        assert "line" in text
    else:
        assert text == message
