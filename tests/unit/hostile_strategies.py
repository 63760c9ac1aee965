"""Generated hostile data: strategies for text, keys and numbers, and the edits that put them into data/.

Shared by the loader's generated tests (``tests/unit/test_data_generated.py``, many cheap cases) and
the real builds (``tests/build/test_hostile_generated.py``, a few). The oracles here are written from
the issue's lists, not from the loader's code: which characters must be refused, what an id looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

# Characters a data string must never hold (issue 13): control characters, bidirectional overrides
# and isolates, zero-width characters and the byte-order mark, line and paragraph separators.
REFUSED = (
    [chr(c) for c in range(0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029"]
)
# Markup, template, math and quoting that must reach a page only as text.
FRAGMENTS = (
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 'pw' ~ 'ned' }}", "{% raw %}", "{# c #}",
    "[x](javascript:alert(1))", "<a href=\"javascript:alert(1)\">a</a>", "$x^2$", "\\(y\\)", "*em*", "__b__",
    "|", "`", "'", '"', "&amp;", "&lt;b&gt;", "<!--", "-->", "\\", "#", "~", "Llama 3", "é", "中文", "🙂",
)  # fmt: skip
SAFE_CHARS = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))


def has_refused(text: str) -> bool:
    return any(ch in REFUSED for ch in text)


hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(REFUSED), st.text(SAFE_CHARS, min_size=1, max_size=4)),
    min_size=1,
    max_size=6,
).map("".join)
ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
ID_MAX = 64  # the rule, restated: a short lowercase slug


def valid_id(key: str) -> bool:
    return bool(ID.fullmatch(key)) and len(key) <= ID_MAX


hostile_key = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9._-]{70,80}", fullmatch=True),
    hostile_text,
    st.text(st.sampled_from("aZ-_. /:<>\"'0\u202e\u200b\n"), min_size=1, max_size=12),
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, -0.5, 1e-300, 5e-324, 1e308, 1e400, 0.5, 1.5, 10, 5000, 1e16, 2**53 + 1]),
)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: printable ASCII as is, everything else as a \\u escape."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def toml_number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return repr(value)


# Where each kind of value is written in each file (one regex group: the text before the value).
TOML_STRING = r'"(?:[^"\\\n]|\\.)*"'
TEXT_FIELDS = {
    "models.toml": ("name", "family", "org", "note"),
    "hardware.toml": ("name", "vendor", "note"),
    "sources.toml": ("title", "authors", "note"),
    "constants.toml": ("label", "note", "unit"),
}
NUMBER_FIELDS = {
    "models.toml": ("value", "layers", "d_model", "heads", "kv_heads", "ffn", "vocab", "experts", "context"),
    "hardware.toml": ("value", "released"),
    "sources.toml": ("year",),
    "constants.toml": ("value",),
}
KEY_PATTERNS = {
    "models.toml": (r'(?m)^(id = )"[^"]*"', r'((?:source|train_hardware) = )"[^"]*"'),
    "hardware.toml": (r'(?m)^(id = )"[^"]*"',),
    "sources.toml": (r"(?m)^(\[sources\.)[^\]]+(?=\])",),
    "constants.toml": (r"(?m)^(\[)[a-z0-9_]+(?=\])",),
}


@dataclass(frozen=True)
class Edit:
    """One value replaced in one data file: ``spots`` are its places, ``index`` picks one."""

    file: str
    kind: str  # "text", "number" or "key"
    new: str  # the replacement as written in the file

    def apply(self, text: str, index: int) -> tuple[str, bool]:
        """``text`` with the ``index``-th place (modulo their number) replaced; False if there is none."""
        spots = [m for pattern in self.patterns() for m in re.finditer(pattern, text)]
        if not spots:
            return text, False
        m = spots[index % len(spots)]
        return text[: m.start()] + m.group(1) + self.new + text[m.end() :], True

    def patterns(self) -> list[str]:
        if self.kind == "text":
            fields = "|".join(TEXT_FIELDS[self.file])
            return [rf"(?m)((?:^|, |{{ )(?:{fields}) = ){TOML_STRING}"]
        if self.kind == "number":
            fields = "|".join(NUMBER_FIELDS[self.file])
            return [rf"(?m)((?:^|, |{{ )(?:{fields}) = )-?[0-9][0-9_.eE+-]*(?=\s*(?:,|}}|$|#))"]
        return list(KEY_PATTERNS[self.file])
