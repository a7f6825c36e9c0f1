"""Sheet specifications: one YAML file per sheet in ``workbook_templates/``.

A spec declares what a sheet shows; the generic renderer decides how. The format is
documented in ``docs/templates.md``. Loading expands repeated columns (``repeat: 12``
gives one column per month) and renders text with Jinja2::

    >>> spec = SheetSpec.from_dict({
    ...     "id": "X1", "name": "示例", "kind": "list", "rows": "none",
    ...     "columns": [
    ...         {"key": "m{{ i }}", "zh": "{{ i }}月", "type": "money", "repeat": 3},
    ...         {"key": "total", "zh": "合计", "type": "money", "measure": "row_sum",
    ...          "args": {"parts": ["m1", "m2", "m3"]}},
    ...     ]})
    >>> [c.key for c in spec.columns]
    ['m1', 'm2', 'm3', 'total']
    >>> spec.columns[1].header("zh")
    '2月'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..errors import InputError, Problem


def _resource_dir(name: str) -> Path:
    """A top-level folder of the repository (workbook_templates, macros): beside the
    package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / name
    return checkout if checkout.is_dir() else package / name


TEMPLATE_DIR = _resource_dir("workbook_templates")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
MACRO_DIR = _resource_dir("macros")
KINDS = ("list", "grid", "form", "dashboard", "index", "settings")
TYPES = (
    "text",
    "money",
    "money0",
    "amount",
    "percent",
    "int",
    "number",
    "score",
    "date",
    "month",
    "hours",
)
TOTALS = ("none", "sum", "measure", "label", "count", "grand", "positive")
FAMILIES = ("index", "plan", "crm", "key_account", "finance", "dashboard", "system")

_JINJA = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
)


@cache
def _template(text: str) -> jinja2.Template:
    return _JINJA.from_string(text)


def render_text(text: str | None, **context: Any) -> str:
    """Render a Jinja2 template string (titles, labels); plain text passes through."""
    if not text:
        return ""
    if "{" not in text:
        return text
    return _template(text).render(**context)


@dataclass(frozen=True)
class Alert:
    """A conditional format: ``when`` is an operator (<, <=, >, >=, ==, !=, text) and
    ``value`` a number, a quoted text, ``$setting`` or a column key of the same row."""

    when: str
    value: Any
    style: str = "bad"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str = ""
    type: str = "text"
    width: float | None = None
    input: bool = False
    dict: str | None = None
    validate: str | None = None
    measure: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    total: str = "none"
    alerts: tuple[Alert, ...] = ()
    databar: bool = False
    wrap: bool = False
    note: str = ""

    def header(self, lang: str = "zh") -> str:
        return (self.en or self.zh) if lang == "en" else self.zh


@dataclass(frozen=True)
class SheetSpec:
    id: str
    name: str
    kind: str
    rows: str
    columns: tuple[Column, ...] = ()
    name_en: str = ""
    number: str = ""
    family: str = "crm"
    purpose: str = ""
    purpose_en: str = ""
    title: str = "{{ company }} {{ year }}年 {{ name }}"
    title_en: str = "{{ company }} {{ year }} {{ name }}"
    group_by: str | None = None
    total: bool = True
    money_unit: bool = True
    landscape: bool | None = None
    table: bool = True
    extra_rows: int = 0
    freeze_cols: int = 0
    footer: bool = True
    notes: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def sheet_name(self, lang: str = "zh") -> str:
        """The tab name: number and short name, within Excel's 31 characters."""
        base = (self.name_en or self.name) if lang == "en" else self.name
        label = f"{self.number} {base}" if self.number else base
        return label[:31]

    def display_name(self, lang: str = "zh") -> str:
        return (self.name_en or self.name) if lang == "en" else self.name

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.source or self.id}: no column {key!r}")

    @classmethod
    def from_dict(cls, raw: dict, source: str = "") -> SheetSpec:
        problems: list[Problem] = []
        where = source or str(raw.get("id", "?"))

        def bad(key: str, expected: str, found: Any) -> None:
            problems.append(Problem(where, key=key, expected=expected, found=repr(found)))

        for req in ("id", "name", "kind", "rows"):
            if req not in raw:
                bad(req, "a value", None)
        if raw.get("kind") not in KINDS:
            bad("kind", "one of " + ", ".join(KINDS), raw.get("kind"))
        if raw.get("family", "crm") not in FAMILIES:
            bad("family", "one of " + ", ".join(FAMILIES), raw.get("family"))
        columns = []
        for i, craw in enumerate(raw.get("columns", []) or []):
            columns.extend(_expand_column(craw, f"columns[{i}]", bad))
        keys = [c.key for c in columns]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            bad("columns", "unique column keys", dupes)
        if problems:
            raise InputError(problems)
        known = set(cls.__dataclass_fields__)
        extra = {k: v for k, v in raw.items() if k not in known}
        kwargs = {
            k: v for k, v in raw.items() if k in known and k not in ("columns", "notes", "options")
        }
        kwargs["id"] = str(kwargs["id"])
        if "number" in kwargs:
            kwargs["number"] = str(kwargs["number"])
        return cls(
            columns=tuple(columns),
            notes=tuple(raw.get("notes", []) or []),
            options={**(raw.get("options") or {}), **extra},
            source=source,
            **kwargs,
        )


def _expand_column(craw: dict, where: str, bad) -> list[Column]:
    if not isinstance(craw, dict) or "key" not in craw or "zh" not in craw:
        bad(where, "a column with key and zh", craw)
        return []
    repeat = craw.get("repeat")
    if repeat is None:
        return [_column(craw, where, bad)]
    out = []
    for i in range(1, int(repeat) + 1):
        out.append(_column(_render_tree(craw, i=i), f"{where}[{i}]", bad))
    return out


def _render_tree(value: Any, **ctx: Any) -> Any:
    if isinstance(value, str):
        return render_text(value, **ctx)
    if isinstance(value, list):
        return [_render_tree(v, **ctx) for v in value]
    if isinstance(value, dict):
        return {k: _render_tree(v, **ctx) for k, v in value.items() if k != "repeat"}
    return value


def _column(craw: dict, where: str, bad) -> Column:
    ctype = craw.get("type", "text")
    if ctype not in TYPES:
        bad(f"{where}.type", "one of " + ", ".join(TYPES), ctype)
    total = craw.get("total", "none")
    if total not in TOTALS:
        bad(f"{where}.total", "one of " + ", ".join(TOTALS), total)
    alerts = tuple(Alert(**a) for a in craw.get("alerts", []) or [])
    kwargs = {
        k: v
        for k, v in craw.items()
        if k in Column.__dataclass_fields__ and k not in ("alerts", "args")
    }
    kwargs["key"] = str(kwargs["key"])
    return Column(alerts=alerts, args=dict(craw.get("args") or {}), **kwargs)


def load_spec(path: Path) -> SheetSpec:
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            Problem(
                str(path),
                row=mark.line + 1 if mark else None,
                expected="valid YAML",
                found=str(getattr(exc, "problem", exc)),
            )
        ) from None
    if not isinstance(raw, dict):
        raise InputError(
            Problem(str(path), expected="a sheet spec (a mapping)", found=type(raw).__name__)
        )
    return SheetSpec.from_dict(raw, source=path.name)


@cache
def load_specs(directory: Path = TEMPLATE_DIR) -> tuple[SheetSpec, ...]:
    """All sheet specs, in file-name order (file names start with the sheet order)."""
    return tuple(load_spec(p) for p in sorted(Path(directory).glob("*.yaml")))


def wrapped_lines(text, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a CJK
    character counts two), for the row height of wrapped cells."""
    if not isinstance(text, str) or not text:
        return 1
    room = max(float(width) - 1.0, 1.0)
    n = 0
    for part in text.split("\n"):
        w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)
        n += max(1, -(-int(w) // int(room)) if w else 1)
    return n
