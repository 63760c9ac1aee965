"""The Jinja environment pages render in: a number reaches a page only as a quantity, with its provenance.

A page could otherwise print a number that no tooltip explains and ``numbers.json`` never lists:
``{{ x.params.value }}``, ``{{ (q * 3) | round }}``, ``{{ models | length }}``. Rather than
listing such spellings, :class:`PageEnvironment` (Jinja's public ``SandboxedEnvironment``, whose
attribute, call and operator hooks exist for this) refuses the class, at the point a page asks:

- reading a **bare number** (an ``int`` or ``float``) from any object, by attribute or item, and
  reading a quantity's internals (``.value``, ``.text``, ``.tooltip``, ``.dim``…);
- a **filter applied to a quantity** (``round``, ``int``, ``abs``, ``format``…: its display style
  does that), except the escaping ones, which keep it a quantity;
- **printing** anything that is not text or a quantity (``finalize``): a count made with
  ``|length``, a number written in the page's own ``{% set %}``, a record;
- **turning** a number or a record **into text** (``|string``, ``|join``, ``"%d" % n``,
  ``"{:,}".format(n)``), and ``~``, which joins values into text.

Numbers may still steer the page (``{% if models | length > rows %}``, ``loop.index``); they
cannot be written on it. Every refusal is a :class:`~macros.errors.MacroError` the bridge reports
as ``docs/page.md:LINE: message``, naming what to write instead.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import marshal
import sys
from collections.abc import Callable
from numbers import Number
from typing import Any

from jinja2 import Environment, Template, TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_TILDE, TokenStream
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment

from .errors import MacroError
from .quantity import Input, Q
from .store import DigestStore, digest

INSTEAD = (
    "print the quantity itself ({{ q }}), write it in another style with q.as_(style), "
    "or count the entries of a data table with count('models')"
)
# What a page may read of a quantity and of one of its inputs: nothing that is a number or its text.
Q_PAGE_ATTRS = frozenset({"as_", "known", "status", "label", "kind", "formula", "method", "expr", "inputs"})
INPUT_PAGE_ATTRS = frozenset({"symbol", "status", "source", "note"})
# Filters that keep a quantity a quantity (they escape its rendered HTML, which records it in the ledger).
Q_FILTERS = frozenset({"e", "escape", "forceescape", "string"})
# Filters that do arithmetic over a list: on quantities they would drop provenance and dimensions.
LIST_ARITHMETIC = frozenset({"sum", "max", "min"})
# Settings of the plugin's environment that decide how a page's source is read (all public).
SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "undefined",
    "autoescape",
    "loader",
)


def is_bare(x: object) -> bool:
    """A number without provenance (``True``/``False`` are not numbers here)."""
    return isinstance(x, Number) and not isinstance(x, bool)


def holds_numbers(x: object, depth: int = 3) -> bool:
    """A bare number, a record (a dataclass other than a quantity), or a collection holding one."""
    if is_bare(x):
        return True
    if isinstance(x, Q | str | bytes) or depth == 0:
        return False
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return True
    if isinstance(x, dict):
        return any(holds_numbers(k, depth - 1) or holds_numbers(v, depth - 1) for k, v in x.items())
    if isinstance(x, list | tuple | set | frozenset):
        return any(holds_numbers(i, depth - 1) for i in x)
    return False


def _what(x: object) -> str:
    return f"a bare {type(x).__name__} ({x!r})" if is_bare(x) else f"a {type(x).__name__}"


def is_printable(x: object) -> bool:
    """Text, a quantity (or other markup), or a view of the vocabulary that says how it prints (a model, its name).

    A view without a ``__str__`` of its own is refused: its default text is a repr, with raw numbers.
    """
    if isinstance(x, str) or hasattr(x, "__html__"):
        return True
    return (getattr(type(x).__str__, "__module__", None) or "").startswith("macros.vocab")


def finalize(value: Any) -> Any:
    """What ``{{ … }}`` prints: refuse anything that is not text or a quantity."""
    if is_printable(value):
        return value
    raise MacroError(f"{{{{ … }}}} prints {_what(value)}, which has no provenance: {INSTEAD}")


PASSED_FIRST = (Context, EvalContext, Environment)


def guard_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` refusing a quantity (unless it escapes it) and refusing to turn numbers into text."""

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        # A filter made with pass_context / pass_eval_context / pass_environment gets that first:
        # the value comes second (told apart by the public types, not by Jinja's marker attribute).
        first = 1 if args and isinstance(args[0], PASSED_FIRST) else 0
        value = args[first]
        data = (*args[first:], *kwargs.values()) if name == "format" else (value,)
        if isinstance(value, Q) and name not in Q_FILTERS:
            raise MacroError(
                f"|{name} on the quantity {value.expr or value.label}: a quantity is rounded and written "
                f"by its display style; print it ({{{{ q }}}}) or choose another style with q.as_(style)"
            )
        if name in LIST_ARITHMETIC and isinstance(value, list | tuple) and any(isinstance(i, Q) for i in value):
            raise MacroError(
                f"|{name} on quantities: combine them with + and − (which keep their provenance and "
                "check what they measure), or print each one"
            )
        out = fn(*args, **kwargs)
        if isinstance(out, str) and any(holds_numbers(d) for d in data):
            culprit = next(d for d in data if holds_numbers(d))
            raise MacroError(f"|{name} turns {_what(culprit)} into text without its provenance: {INSTEAD}")
        return out

    return guarded


class NoConcat(Extension):
    """``~`` joins values into text, where a number would lose its provenance: refused when a page is read."""

    def filter_stream(self, stream: TokenStream) -> TokenStream:
        for token in stream:
            if token.type == TOKEN_TILDE:
                raise TemplateSyntaxError(
                    "`~` joins values into text, where a number would lose its provenance: write the text in "
                    "the page and {{ … }} each value",
                    token.lineno,
                )
            yield token


class PageEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with the book's rule: numbers reach a page only as quantities (module docstring)."""

    intercepted_binops = frozenset({"%"})
    templates: DigestStore | None = None  # compiled page templates (the page cache's ``tpl`` entries)

    # -- compiled pages, kept across builds: a data edit re-renders every page but changes no template
    @functools.cached_property
    def fingerprint(self) -> str:
        """Everything the compiled code of a page depends on besides its source."""

        def name(x: object) -> str:
            return getattr(x, "__qualname__", None) or type(x).__qualname__

        parts = [sys.version, type(self).__qualname__, name(self.finalize), *sorted(self.intercepted_binops)]
        parts += [repr(getattr(self, s)) for s in SETTINGS if s not in ("undefined", "loader", "autoescape")]
        parts += [name(self.undefined), name(self.autoescape), *sorted(self.extensions), *sorted(self.filters)]
        return digest(*parts, *sorted(self.tests))

    def page_template(self, source: str) -> Template:
        """``from_string(source)``, compiled once for as long as the page's source is unchanged."""
        key = digest(self.fingerprint, source)
        hit = self.templates.get(key) if self.templates else None
        if hit is not None:
            code = marshal.loads(base64.b64decode(hit))
        else:
            code = self.compile(source)  # a page that does not compile raises here: never stored
            if self.templates:
                self.templates.put(key, base64.b64encode(marshal.dumps(code)).decode())
        return self.template_class.from_code(self, code, self.make_globals(None), None)

    def keep(self, source: str) -> None:
        """A page served from the render cache keeps its compiled template for the next data edit."""
        if self.templates:
            self.templates.used.add(digest(self.fingerprint, source))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, Q) and attr not in Q_PAGE_ATTRS:
            raise MacroError(f"`.{attr}` of the quantity {obj.expr or obj.label} is not for pages: {INSTEAD}")
        if isinstance(obj, Input) and attr not in INPUT_PAGE_ATTRS:
            raise MacroError(f"`.{attr}` of an input of a quantity is not for pages: {INSTEAD}")
        if is_bare(value) and not isinstance(obj, LoopContext):
            raise MacroError(f"`.{attr}` of {_what(obj)} is {_what(value)}, which has no provenance: {INSTEAD}")
        return True

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        if is_bare(value):
            raise MacroError(f"`[{argument!r}]` of {_what(obj)} is {_what(value)}, which has no provenance: {INSTEAD}")
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        out = super().call(__context, __obj, *args, **kwargs)
        if isinstance(out, str):
            for arg in (*args, *kwargs.values()):
                if holds_numbers(arg):
                    name = getattr(__obj, "__name__", "a call")
                    raise MacroError(f"{name}(…) turns {_what(arg)} into text without its provenance: {INSTEAD}")
        return out

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str) and holds_numbers(right):
            raise MacroError(f"`%` turns {_what(right)} into text without its provenance: {INSTEAD}")
        return super().call_binop(context, operator, left, right)


def page_environment(plugin_env: Environment, templates: DigestStore | None = None) -> PageEnvironment:
    """A :class:`PageEnvironment` that reads pages as ``plugin_env`` (mkdocs-macros') does, with its globals."""
    extensions = [type(e) for e in plugin_env.extensions.values()] + [NoConcat]
    settings = {name: getattr(plugin_env, name) for name in SETTINGS}
    env = PageEnvironment(
        **settings, extensions=extensions, finalize=finalize, bytecode_cache=plugin_env.bytecode_cache
    )
    env.templates = templates
    env.globals = plugin_env.globals  # the macros (the same dict: later registrations are seen)
    env.tests = plugin_env.tests
    env.filters = {name: guard_filter(name, fn) for name, fn in plugin_env.filters.items()}
    return env
