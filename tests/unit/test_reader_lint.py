"""The reader-text lint's rules (scripts/reader_lint.py) on small strings, each with a case it must
catch and the near miss it must let through."""

from __future__ import annotations

import pytest

from scripts import reader_lint as lint


def rules(text: str) -> set[str]:
    return {rule for rule, _ in lint.check_text(text)}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("| GPT-3, for comparison | 350 GFLOP | 350 GB | 87.5 GB |", "table row left as text"),
        ("Bigger is bigger is better", "doubled word or phrase"),
        ("the the model", "doubled word or phrase"),
        ("There is about a 80 % chance", "'a' before a number read with a vowel sound"),
        ("a 11-fold increase", "'a' before a number read with a vowel sound"),
        ("a 8 B model", "'a' before a number read with a vowel sound"),
        ("a 18 T run", "'a' before a number read with a vowel sound"),
        ("a 800 GB card", "'a' before a number read with a vowel sound"),
        ("a 8,000-GPU cluster", "'a' before a number read with a vowel sound"),
        ("at $2 per GPU-hourest..", "doubled full stop"),
        ("it costs 400 B. .", "doubled full stop"),
        ("DeepSeek-V3 is -0.53 of a generation behind", "negative count or fraction"),
        ("DeepSeek-V3 is -0.53est. of a generation behind", "negative count or fraction"),
        ("it needs −4 GPUs", "negative count or fraction"),
        ("a -3× gap", "negative count or fraction"),
        ("{{ model('x').params }}", "template syntax or non-value"),
        ("{% if x %}", "template syntax or non-value"),
        ("trained on None tokens", "template syntax or non-value"),
        ("a ratio of nan", "template syntax or non-value"),
        ("NaN×", "template syntax or non-value"),
    ],
)
def test_each_rule_catches_its_case(text: str, rule: str):
    assert rule in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Llama 3.1 405B | GPT-4",  # one pipe-separated pair is not a table row
        "it is better; is it?",
        "There is about an 80 % chance",
        "a 1.8 T model and a 175 B model",  # "one point eight", "one hundred"
        "a 110-layer stack",  # "one hundred ten"
        "see the Methods appendix... then",  # an ellipsis
        "e.g. the model.",
        "GPT-4 and Llama-3-8B",  # hyphens inside names
        "loss fell by 0.53 of a nat",
        "a change of −0.3 in loss",  # a signed change, not a count
        "None of these dials shows on a leaderboard",
        "banana",
    ],
)
def test_near_misses_pass(text: str):
    assert rules(text) == set()


def test_entity_codes_in_attributes_are_caught_and_plain_text_passes():
    assert lint.check_attribute("title", "N&#95;active (Llama 3 8B)")
    assert lint.check_attribute("alt", "the book&#39;s figure")
    assert lint.check_attribute("aria-label", "&amp;")
    assert not lint.check_attribute("title", "N_active (Llama 3 8B) & D; the book's figure")


def test_page_reading_skips_hidden_code_and_scripts_and_names_page_and_text():
    html = """<html><body><article>
      <p>A <span class="num"><button>10×</button><span class="num__prov" hidden>Status: rumored</span></span> jump.</p>
      <p>| GPT-3 | 1 | 2 |</p>
      <pre><code>{{ x }} the the</code></pre>
      <script>var a = "{{ nan }}";</script>
      <img alt="weights &amp;#95; here" src="x.svg">
      <p>It was was fine.</p>
    </article></body></html>"""
    found = lint.check_page(html, "chapters/x/index.html")
    assert {(f.rule, f.page) for f in found} == {
        ("table row left as text", "chapters/x/index.html"),
        ("doubled word or phrase", "chapters/x/index.html"),
        ("<img> entity code in alt", "chapters/x/index.html"),
    }
    assert any("was was" in f.text for f in found)
    reader = lint.read(html)
    assert "A 10× jump." in reader.blocks  # the hidden provenance is not read as text
