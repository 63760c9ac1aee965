"""One strict build of the real book, checked from the outside."""

from __future__ import annotations

import csv
import html
import json
import re
import tomllib
from pathlib import Path

from tests.conftest import ROOT, run_mkdocs_build

PAGES = [
    "index.html",
    "chapters/differences/index.html",
    "chapters/anatomy/index.html",
    "appendix/data/index.html",
    "appendix/methods/index.html",
]


def test_no_template_syntax_or_macro_error_left(built_site: Path):
    for page in PAGES:
        text = (built_site / page).read_text()
        assert "{{" not in text and "{%" not in text, page
        assert "Macro Rendering Error" not in text, page


def test_math_is_rendered_to_mathml(built_site: Path):
    text = (built_site / "appendix/methods/index.html").read_text()
    assert "<math" in text
    assert "$$" not in text and "\\(" not in text


def test_exports_parse_and_hold_every_model(built_site: Path):
    raw = tomllib.loads((ROOT / "data/models.toml").read_text())
    ids = [m["id"] for m in raw["models"]]
    doc = json.loads((built_site / "data/models.json").read_text())
    assert [m["id"] for m in doc["models"]] == ids
    rows = list(csv.DictReader((built_site / "data/models.csv").open()))
    assert [r["id"] for r in rows] == ids
    required = {
        "params",
        "active_params",
        "tokens",
        "train_flops",
        "tokens_per_param",
        "chinchilla_tokens",
        "overtrain_factor",
        "params_from_architecture",
        "weight_bytes",
    }
    assert required <= set(doc["models"][0]["computed"])
    numbers = json.loads((built_site / "data/numbers.json").read_text())["numbers"]
    assert len(numbers) > 100
    assert {"page", "expression", "value", "text", "status"} <= set(numbers[0])


def test_a_rendered_number_equals_the_formula_from_raw_data(built_site: Path):
    # Independent of the loader: read the TOML and apply 6·N·D by hand.
    raw = {m["id"]: m for m in tomllib.loads((ROOT / "data/models.toml").read_text())["models"]}
    unit = {"B": 1e9, "T": 1e12}
    n = raw["llama-3-8b"]["params"]["value"] * unit[raw["llama-3-8b"]["params"]["unit"]]
    d = raw["llama-3-8b"]["tokens"]["value"] * unit[raw["llama-3-8b"]["tokens"]["unit"]]
    expected = 6 * n * d
    numbers = json.loads((built_site / "data/numbers.json").read_text())["numbers"]
    row = next(
        r
        for r in numbers
        if r["page"] == "chapters/differences.md" and r["expression"] == "model('llama-3-8b').train_flops"
    )
    assert abs(row["value"] - expected) / expected < 1e-12
    mantissa, exponent = f"{expected:.2e}".split("e")
    page = html.unescape((built_site / "chapters/differences/index.html").read_text())
    sup = str(int(exponent)).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"{mantissa} × 10{sup} FLOP" in page


PROVENANCE = re.compile(
    r'<span class="num num--(\w+)" data-status="\w+"><button type="button" class="num__value" '
    r'aria-describedby="([^"]+)">[^<]*</button>(?:<sup[^>]*>[^<]*</sup>)?'
    r'<span class="num__prov" id="([^"]+)" hidden data-search-exclude>(.*?)</span></span>'
)


def test_numbers_carry_provenance_a_screen_reader_is_given(built_site: Path):
    """Each number is a button described by its provenance, an element of its own with a unique id."""
    page = (built_site / "chapters/differences/index.html").read_text()
    tips = PROVENANCE.findall(page)
    assert len(tips) > 20
    assert len(tips) == page.count('class="num__value"')
    assert all(described == ident for _, described, ident, _ in tips)
    assert len({ident for _, _, ident, _ in tips}) == len(tips)
    assert all(re.search(r"<br>Status: (disclosed|estimated|claimed|rumored|undisclosed)(<br>|$)", t) for *_, t in tips)
    assert 'title="' not in "".join(re.findall(r'<span class="num .*?</span></span>', page))


def test_rumored_inputs_are_flagged_wherever_they_appear(built_site: Path):
    page = (built_site / "appendix/data/index.html").read_text()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    gpt4_row = next(row for row in rows if "<td>GPT-4</td>" in row)
    assert "num--rumored" in gpt4_row
    # In a table the style carries the status; the line under the table names it.
    assert "num-flag" not in gpt4_row
    after = page[page.index(gpt4_row) :]
    assert re.search(
        r'</table>\s*<p class="num-legend"[^>]*>.*num-sample num--rumored', after[: after.index("</p>") + 4]
    )


def test_unknown_model_id_in_a_chapter_names_page_and_line(book_copy: Path, tmp_path: Path):
    page = book_copy / "docs/chapters/differences.md"
    text = page.read_text().replace("{% set l70 = model('llama-3-70b') %}", "{% set l70 = model('llama-3-70x') %}")
    page.write_text(text)
    result = run_mkdocs_build(tmp_path / "out", cwd=book_copy)
    assert result.returncode != 0
    assert "docs/chapters/differences.md:15: unknown model id 'llama-3-70x' (not in data/models.toml)" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_data_stops_the_build_with_one_line(book_copy: Path, tmp_path: Path):
    models = book_copy / "data/models.toml"
    models.write_text(models.read_text().replace('value = 8.03, unit = "B"', 'value = "8.03", unit = "B"', 1))
    result = run_mkdocs_build(tmp_path / "out", cwd=book_copy)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR   -  data/models.toml: model 'llama-3-8b', field 'params.value': expected a number, got the string '8.03' (write numbers without quotes)"
    ]
    assert "Traceback" not in result.stderr
