"""The plan documents' words: content.yaml beside plan.toml, else the shipped defaults.

The defaults (``salesplan_xl/templates/content.yaml``, commented, in Chinese) are the
standard documents' texts: OKR objectives and key results (P2), the measures and the
marketing plan of 销售计划方案 (P6), the monthly / weekly / daily work items, special
events and risks (P7), the tasks (P8), the budget lines (P9) and the sections of
年度销售任务工作计划 (P11) and 销售部门具体工作计划 (P12). ``salesplan init`` writes them
beside plan.toml; a company edits them like plan.toml. A section left out
of the project's file keeps its default.

The file is checked against :data:`SCHEMA`: an unknown key or a value of the wrong type
is reported with the file and the line (from PyYAML's node marks)::

    >>> problems = check_text("okr:\\n  annual:\\n    satisfaction: 很高\\n", "content.yaml")
    >>> print(problems[0])
    content.yaml, line 3, key okr.annual.satisfaction: expected a number from 0 to 1, found '很高'
    >>> default_content()["okr"]["quarter_satisfaction"]
    [0.85, 0.87, 0.89, 0.9]
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

CONTENT_FILE = "content.yaml"
DEFAULT_PATH = Path(__file__).parent / "templates" / CONTENT_FILE

# --- schema --------------------------------------------------------------------------------
# A schema is "text", "number", "fraction" (a number 0–1), a dict {key: schema} (a mapping
# with exactly those keys, any of them may be left out), or ListOf(schema, length).


class ListOf:
    def __init__(self, item, length: int | None = None, min_length: int = 0):
        self.item, self.length, self.min_length = item, length, min_length

    def describe(self) -> str:
        n = f"{self.length} " if self.length else ""
        return f"a list of {n}{_describe(self.item, plural=True)}"


def _describe(schema, plural: bool = False) -> str:
    if schema == "text":
        return "texts" if plural else "a text"
    if schema in ("number", "fraction"):
        what = "numbers" if plural else "a number"
        return what + (" from 0 to 1" if schema == "fraction" else "")
    if isinstance(schema, ListOf):
        return "lists" if plural else schema.describe()
    return (
        "mappings" if plural else "a mapping"
    ) + f" with keys {', '.join(schema)}"


SECTION = {"code": "text", "title": "text", "items": ListOf("text", min_length=1)}
TOPIC = {"topic": "text", "points": "text"}

SCHEMA: dict[str, Any] = {
    "okr": {
        "long_term": {"objective": "text", "key_result": "text", "multiple": "number"},
        "annual": {"objective": "text", "satisfaction": "fraction"},
        "quarter_satisfaction": ListOf("fraction", 4),
        "key_results": ListOf(SECTION),
        "actions": ListOf(SECTION),
        "kpi": {"code": "text", "title": "text", "item": "text"},
    },
    "annual_plan": {
        "new_product_growth": "number",
        "measures": ListOf("text"),
        "marketing_plan": ListOf(
            {"department": "text", "work": "text", "measures": "text", "owner": "text", "timing": "text"}
        ),
        "retail": {
            "key_retailers": "number",
            "retail_stock_months": "number",
            "agent_stock_months": "number",
            "items": ListOf("text"),
            "duties": ListOf({"role": "text", "duty": "text"}),
        },
    },
    "work_plan": {
        "goals": ListOf("text"),
        "months": ListOf(ListOf("text"), 12),
        "weekly": ListOf({"day": "text", "items": ListOf("text")}),
        "daily": ListOf("text"),
        "events": ListOf("text"),
        "risks": ListOf({"risk": "text", "response": "text"}),
    },
    "tasks": ListOf({"when": "text", "task": "text", "owner": "text"}),
    "task_plan": {
        "intro": "text",
        "market": ListOf(TOPIC),
        "strategy": ListOf(TOPIC),
        "process": ListOf("text"),
        "activities": ListOf({"activity": "text", "timing": "text", "owner": "text"}),
        "execution": ListOf(TOPIC),
        "summary": "text",
    },
    "department_plan": {
        "target_basis": "text",
        "strategies": ListOf(
            {"scope": "text", "goal": "text", "measures": "text", "timing": "text", "owner": "text"}
        ),
        "team": ListOf({"item": "text", "content": "text", "timing": "text", "owner": "text"}),
    },
    "budget": ListOf({"line": "text", "line_en": "text", "rate": "fraction"}),
}

_STR = "tag:yaml.org,2002:str"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_NULL = "tag:yaml.org,2002:null"
_WHEN = re.compile(r"^(第[一二三四]季度|(1[0-2]|[1-9])月)$")


def _check(node, schema, key: str, source: str, out: list[Problem]) -> None:
    def bad(n, expected: str, found: str) -> None:
        line = n.start_mark.line + 1
        out.append(Problem(f"{source}, line {line}", key=key or None, expected=expected, found=found))

    def found(n) -> str:
        if isinstance(n, yaml.MappingNode):
            return "a mapping"
        if isinstance(n, yaml.SequenceNode):
            return "a list"
        return repr(n.value)

    if isinstance(schema, dict):
        if not isinstance(node, yaml.MappingNode):
            if not (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
                bad(node, _describe(schema), found(node))
            return
        seen = set()
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            sub = f"{key}.{name}" if key else name
            if name not in schema:
                out.append(
                    Problem(
                        f"{source}, line {k.start_mark.line + 1}",
                        key=sub,
                        expected=f"one of the keys {', '.join(schema)}",
                        found=f"the unknown key {name!r}",
                    )
                )
            elif name in seen:
                bad(k, "each key once", f"{name!r} again")
            else:
                _check(v, schema[name], sub, source, out)
            seen.add(name)
        return
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        if not key.endswith("]"):
            return  # an empty key keeps its default
        bad(node, _describe(schema), "nothing")
        return
    if isinstance(schema, ListOf):
        if not isinstance(node, yaml.SequenceNode):
            bad(node, schema.describe(), found(node))
            return
        n = len(node.value)
        if schema.length and n != schema.length:
            bad(node, schema.describe(), f"{n} item{'s' if n != 1 else ''}")
        elif n < schema.min_length:
            bad(node, f"at least {schema.min_length} item", "none")
        for i, item in enumerate(node.value):
            _check(item, schema.item, f"{key}[{i + 1}]", source, out)
        return
    if not isinstance(node, yaml.ScalarNode):
        bad(node, _describe(schema), found(node))
        return
    if schema == "text":
        if node.tag not in (_STR, *_NUMBERS):
            bad(node, "a text", repr(node.value))
        elif key.endswith(".when") and key.startswith("tasks") and not _WHEN.match(node.value):
            bad(node, "第一季度 … 第四季度 or a month 1月 … 12月", repr(node.value))
        return
    if node.tag not in _NUMBERS:
        bad(node, _describe(schema), repr(node.value))
        return
    if schema == "fraction":
        value = float(node.value)
        if not 0 <= value <= 1:
            bad(node, _describe(schema), repr(node.value))


def check_text(text: str, source: str) -> list[Problem]:
    """Every problem of a content file's text, each with its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}, line {mark.line + 1}" if mark else source
        return [Problem(where, expected="valid YAML", found=str(getattr(exc, "problem", exc)))]
    if node is None:
        return []
    problems: list[Problem] = []
    _check(node, SCHEMA, "", source, problems)
    return problems


def _textify(value, schema):
    """Numbers typed where text is expected (e.g. ``no: 2.1``) become text."""
    if isinstance(schema, dict) and isinstance(value, dict):
        return {k: _textify(v, schema[k]) for k, v in value.items()}
    if isinstance(schema, ListOf) and isinstance(value, list):
        return [_textify(v, schema.item) for v in value]
    if schema == "text" and value is not None and not isinstance(value, str):
        return str(value)
    return value


def _merge(default, override, schema):
    if isinstance(schema, dict) and isinstance(override, dict):
        out = dict(default)
        for k, v in override.items():
            if v is not None:
                out[k] = _merge(default.get(k), v, schema[k])
        return out
    return default if override is None else override


@cache
def _defaults() -> dict:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    problems = check_text(text, str(DEFAULT_PATH))
    if problems:  # a packaging error, not the user's
        raise ValueError("\n".join(map(str, problems)))
    return _textify(yaml.safe_load(text), SCHEMA)


def default_content() -> dict:
    """The shipped defaults (a fresh copy)."""
    return copy.deepcopy(_defaults())


def default_content_text() -> str:
    """The commented content.yaml that ``salesplan init`` writes."""
    return DEFAULT_PATH.read_text(encoding="utf-8")


def load_content(path: str | Path) -> dict:
    """A project's content file merged over the defaults; InputError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(str(path), expected="UTF-8 text", found=str(exc))) from None
    problems = check_text(text, str(path))
    if problems:
        raise InputError(problems)
    raw = _textify(yaml.safe_load(text) or {}, SCHEMA)
    return _merge(default_content(), raw, SCHEMA)


def content_beside(plan_path: str | Path) -> dict | None:
    """The content of the content.yaml beside ``plan_path``; None when there is none."""
    path = Path(plan_path).parent / CONTENT_FILE
    return load_content(path) if path.is_file() else None
