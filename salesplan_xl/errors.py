"""Errors that reach the user: each names where the problem is and what was expected.

Example::

    >>> p = Problem(file="data.xlsx", sheet="客户", row=7, column="客户编号",
    ...             expected="a unique customer id", found="C0007 (also on row 3)")
    >>> str(p)
    'data.xlsx, sheet 客户, row 7, column 客户编号: expected a unique customer id, found C0007 (also on row 3)'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One bad input: the place (file, sheet or CSV, row, column) and what is wrong there."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str = ""
    found: str = ""
    key: str | None = None  # a settings key such as "[targets] growth" (plan.toml)

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.key:
            parts.append(f"key {self.key}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: expected {self.expected}, found {self.found}"


class SalesplanError(Exception):
    """Base class for errors the CLI reports without a traceback."""

    exit_code = 1


class InputError(SalesplanError):
    """Bad input: all problems found, reported at once. Nothing has been written."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])
