"""What every sheet of one kit shares: the plan, the data in scope, language, settings.

>>> Scope.parse("department:直营部")
Scope(kind='department', value='直营部')
>>> Scope.parse("company").label("zh")
'全公司'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..config import PlanConfig
from ..errors import InputError, Problem
from .layout import Setting

SCOPE_KINDS = ("company", "department", "region", "rep")


@dataclass(frozen=True)
class Scope:
    kind: str = "company"
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """``company``, ``department:NAME``, ``region:NAME`` or ``rep:ID``."""
        if not text or text.strip() == "company":
            return cls()
        kind, sep, value = text.partition(":")
        kind, value = kind.strip(), value.strip()
        if not sep or kind not in SCOPE_KINDS[1:] or not value:
            raise InputError(
                Problem(
                    "--scope",
                    expected="company, department:NAME, region:NAME or rep:ID",
                    found=repr(text),
                )
            )
        return cls(kind, value)

    def label(self, lang: str = "zh") -> str:
        if self.kind == "company":
            return "全公司" if lang == "zh" else "Company"
        names = {
            "department": ("部门", "Department"),
            "region": ("区域", "Region"),
            "rep": ("业务员", "Rep"),
        }
        zh, en = names[self.kind]
        return f"{zh}：{self.value}" if lang == "zh" else f"{en}: {self.value}"

    def slug(self) -> str:
        return "company" if self.kind == "company" else f"{self.kind}-{self.value}"


@dataclass
class BuildContext:
    """Everything a sheet's rows and layout may read. Computed things are cached here
    so that sheets sharing them (e.g. the allocation) compute them once."""

    plan: PlanConfig
    data: Any  # salesplan_xl.data.dataset.Dataset, already scoped
    scope: Scope = field(default_factory=Scope)
    lang: str = "zh"
    formula_mode: str = "native"
    cache: dict[str, Any] = field(default_factory=dict)
    #: The whole company's data (the plan is made from it once; a scope kit shows the
    #: part of that plan for its customers). None: ``data`` is the whole company.
    company_data: Any = None

    @cached_property
    def company(self) -> BuildContext:
        """The company-wide context whose plan every scope kit filters (self when this
        kit is the company kit)."""
        if self.scope.kind == "company" or self.company_data is None:
            return self
        return BuildContext(
            plan=self.plan,
            data=self.company_data,
            lang=self.lang,
            formula_mode=self.formula_mode,
        )

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    @property
    def year(self) -> int:
        return self.plan.year

    @cached_property
    def content(self) -> dict:
        """The plan documents' words: the project's content.yaml, else the defaults."""
        from ..content import default_content

        return self.plan.content if self.plan.content is not None else default_content()

    @cached_property
    def settings(self) -> dict[str, Setting]:
        from .sources import settings_rows

        return {row["key"]: Setting(row["name"], row["value"]) for row in settings_rows(self)}

    def text_context(self, spec=None) -> dict[str, Any]:
        ctx = {
            "year": self.plan.year,
            "company": self.plan.company,
            "scope": self.scope.label(self.lang),
            "as_of": self.plan.as_of.isoformat(),
            "lang": self.lang,
        }
        if spec is not None:
            ctx["name"] = spec.display_name(self.lang)
            ctx["number"] = spec.number
        return ctx

    def subtitle(self) -> str:
        as_of = self.plan.as_of.isoformat()
        return self.t(
            f"范围：{self.scope.label('zh')}　基准日：{as_of}",
            f"Scope: {self.scope.label('en')}   As of: {as_of}",
        )

    def memo(self, key: str, make):
        """Compute ``make()`` once per kit."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def excel_serial(d: dt.date) -> float:
    """Excel's serial number of a date (1900 system)."""
    return float((d - dt.date(1899, 12, 30)).days)
