"""Collect filled kits into the history store (``salesplan collect``).

A kit is read through what it says of itself, never through its file name or header
text: its identity (plan year, company, scope: :mod:`salesplan_xl.identity`) and the
defined names of its columns (``t_<sheet>_<column>``). Every non-blank cell of every input
column of the list sheets is a *fact*, stored with its provenance (file, sheet, cell, the
kit's identity and the file's SHA-256) under a key that does not depend on where the row
happens to be: the row's invoice number, order number or customer id, whichever the sheet
has and is unique on it.

* One transaction per kit: a kit is stored whole or not at all (a failure or a kill
  leaves the store as it was).
* Idempotent: collecting a kit again replaces that kit's facts, cleared cells included,
  and nothing else.
* A cell of the wrong type (text in a money column, a non-date in a date column) is
  rejected, named by file, sheet, cell, value and reason; so is a fact that another kit
  of the same year and company already holds with a different value (a conflict), and
  every fact of a kit of another year or company.
* The reconciliation: for every kit, typed = stored + rejected, per field.

    >>> from salesplan_xl.config import demo_plan
    >>> from salesplan_xl.data.demo import demo_dataset
    >>> from salesplan_xl.kit import build_kit
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> kit = build_kit(demo_plan(), demo_dataset(customers=20), out)
    >>> report = collect_kits([kit], out / "history.sqlite")
    >>> k = report.kits[0]
    >>> k.scope, k.typed == k.stored > 0, k.rejected
    ('company', True, [])
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..audit import KitBook
from ..identity import file_sha256, read_identity
from ..sheets.layout import column_name
from ..sheets.spec import load_specs
from .history import HistoryStore

#: Columns that identify a row, in order of preference (the first one present and
#: unique on the sheet keys its rows).
KEY_COLUMNS = ("invoice_id", "order_id", "customer_id")
_NUMERIC = {"money", "money0", "amount", "number", "int", "percent", "hours", "year"}


class Fact(NamedTuple):
    sheet_id: str
    field: str
    row_key: str
    value: object
    sheet: str
    cell: str


@dataclass(frozen=True)
class Rejected:
    file: str
    sheet: str
    cell: str
    value: object
    reason: str
    field: str = ""  # sheet_id.column

    def __str__(self) -> str:
        return f"{self.file}, {self.sheet}!{self.cell}: {self.value!r}: {self.reason}"


@dataclass
class KitResult:
    """What became of one kit."""

    file: str
    scope: str = ""
    year: int | None = None
    company: str = ""
    typed: int = 0
    stored: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    by_field: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # typed, stored, rejected

    @property
    def reconciled(self) -> bool:
        return self.typed == self.stored + len(self.rejected)


@dataclass
class CollectReport:
    kits: list[KitResult] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return all(not k.rejected for k in self.kits)

    def lines(self) -> list[str]:
        out = []
        for k in self.kits:
            share = f"{k.stored / k.typed:.0%}" if k.typed else "—"
            out.append(
                f"{k.file} [{k.company} {k.year} {k.scope}]: {k.typed} typed = "
                f"{k.stored} stored + {len(k.rejected)} rejected ({share} stored)"
            )
            out += [f"  rejected: {r}" for r in k.rejected]
        return out


# --------------------------------------------------------------------------- reading


def _key_column(spec, book: KitBook) -> str | None:
    keys = {c.key for c in spec.columns}
    for key in KEY_COLUMNS:
        area = book.names.get(column_name(spec.id, key))
        if key not in keys or area is None:
            continue
        grid, c = book.values(area.sheet), area.c1
        rows = grid[area.r1 : area.r2 + 1]
        present = [str(row[c]) for row in rows if c < len(row) and row[c] not in ("", None)]
        if len(present) == len(set(present)):
            return key
    return None


def _check(value, kind: str) -> tuple[object, str | None]:
    """The value as stored (JSON-able) or the reason it is rejected."""
    if kind in _NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, "expected a number"
        return value, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        return None, "expected a date"
    if isinstance(value, dt.date):
        return value.isoformat(), None
    return value, None


def read_facts(book: KitBook, file: str) -> tuple[list[Fact], list[Rejected], Counter]:
    """Every non-blank input cell of the list sheets (not the formulas of subtotal rows
    inside a column's range): facts, rejected cells, and how many were typed per field
    (``sheet_id.column``)."""
    facts, rejected, typed = [], [], Counter()
    for spec in load_specs():
        if spec.kind not in ("list", "grid"):
            continue
        inputs = [c for c in spec.columns if c.input]
        if not inputs or column_name(spec.id, inputs[0].key) not in book.names:
            continue
        key_col = _key_column(spec, book)
        key_area = book.names.get(column_name(spec.id, key_col)) if key_col else None
        key_grid = book.values(key_area.sheet) if key_area is not None else None
        for c in inputs:
            area = book.names.get(column_name(spec.id, c.key))
            if area is None:
                continue
            formulas = book.formulas(area.sheet)  # subtotal rows inside the range
            grid, col = book.values(area.sheet), area.c1
            for r in range(area.r1, min(area.r2 + 1, len(grid))):
                row = grid[r]
                value = row[col] if col < len(row) else ""
                if value in ("", None) or (r, col) in formulas:
                    continue
                typed[f"{spec.id}.{c.key}"] += 1
                cell = area.a1(r, area.c1)
                clean, reason = _check(value, c.type)
                if reason:
                    rejected.append(
                        Rejected(file, area.sheet, cell, value, reason, f"{spec.id}.{c.key}")
                    )
                    continue
                row_key = ""
                if key_area is not None:
                    k = key_grid[r][key_area.c1] if key_area.c1 < len(key_grid[r]) else ""
                    row_key = "" if k in ("", None) else f"{key_col}={k}"
                facts.append(
                    Fact(spec.id, c.key, row_key or f"row={r + 1}", clean, area.sheet, cell)
                )
    return facts, rejected, typed


# --------------------------------------------------------------------------- storing


def collect_kit(
    path: str | Path,
    store: HistoryStore,
    *,
    year: int | None = None,
    company: str | None = None,
) -> KitResult:
    """Read one kit and store its facts in one transaction (see the module docstring)."""
    path = Path(path)
    result = KitResult(file=path.name)
    try:
        ident = read_identity(path)
        book = KitBook(path)
    except (OSError, zipfile.BadZipFile) as exc:
        result.rejected.append(Rejected(path.name, "", "", "", f"not an xlsx workbook: {exc}"))
        result.typed = 1
        return result
    with book:
        facts, rejected, typed = read_facts(book, path.name)
    result.typed = sum(typed.values())
    result.rejected = rejected
    if not ident:
        result.rejected += _reject_all(path, facts, "not a salesplan kit (no identity)")
        return _tally(result, typed, Counter())
    result.scope = ident["salesplan.scope"]
    result.year = int(ident["salesplan.year"])
    result.company = ident["salesplan.company"]
    wrong = []
    if year is not None and result.year != year:
        wrong.append(f"a kit of {result.year}, not {year}")
    if company is not None and result.company != company:
        wrong.append(f"a kit of {result.company!r}, not {company!r}")
    if wrong:
        result.rejected += _reject_all(path, facts, "; ".join(wrong))
        return _tally(result, typed, Counter())
    sha = file_sha256(path)
    kit_key = (result.year, result.company, result.scope)
    db = store.db
    with db:  # one transaction: the kit is stored whole or not at all
        db.execute("DELETE FROM facts WHERE year = ? AND company = ? AND scope = ?", kit_key)
        # Rows keyed by a customer, invoice or order are the same fact in every kit that
        # shows them; other rows (a region, a month, a scope's total) belong to their
        # kit's scope and cannot conflict.
        held: dict[tuple, list] = {}
        for scope, *key, file, sheet, cell, value in db.execute(
            "SELECT scope, sheet_id, field, row_key, file, sheet, cell, value FROM facts "
            "WHERE year = ? AND company = ? AND scope <> ? AND row_key NOT LIKE 'row=%'",
            kit_key,
        ):
            held.setdefault(tuple(key), []).append((scope, file, sheet, cell, value))
        stored: Counter = Counter()

        def rows():  # streamed into SQLite: the kit's facts are not copied
            for f in facts:
                value = json.dumps(f.value, ensure_ascii=False)
                other = next(
                    (h for h in held.get((f.sheet_id, f.field, f.row_key), ()) if h[4] != value),
                    None,
                )
                if other:
                    scope, ofile, osheet, ocell, ovalue = other
                    result.rejected.append(
                        Rejected(
                            path.name,
                            f.sheet,
                            f.cell,
                            f.value,
                            f"conflicts with {ofile}, {osheet}!{ocell} ({scope}): "
                            f"{json.loads(ovalue)!r}",
                            f"{f.sheet_id}.{f.field}",
                        )
                    )
                    continue
                stored[f"{f.sheet_id}.{f.field}"] += 1
                yield (*kit_key, *f[:3], value, path.name, f.sheet, f.cell, sha)

        db.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        db.execute(
            "INSERT OR REPLACE INTO kits VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *kit_key,
                path.name,
                sha,
                ident.get("salesplan.inputs", ""),
                ident.get("salesplan.lang", ""),
                ident.get("salesplan.formulas", ""),
            ),
        )
    return _tally(result, typed, stored)


def _reject_all(path: Path, facts: list[Fact], reason: str) -> list[Rejected]:
    return [
        Rejected(path.name, f.sheet, f.cell, f.value, reason, f"{f.sheet_id}.{f.field}")
        for f in facts
    ]


def _tally(result: KitResult, typed: Counter, stored: Counter) -> KitResult:
    """Stored and rejected counts, for the kit and per field."""
    rejected = Counter(r.field for r in result.rejected)
    result.stored = sum(stored.values())
    result.by_field = {
        name: (n, stored[name], rejected[name]) for name, n in sorted(typed.items())
    }
    return result


def collect_kits(
    paths,
    store_path: str | Path,
    *,
    year: int | None = None,
    company: str | None = None,
) -> CollectReport:
    """Collect every kit in ``paths`` into the store at ``store_path`` (created when
    missing), one transaction per kit, in the order given."""
    report = CollectReport()
    with HistoryStore(Path(store_path)) as store:
        for p in paths:
            report.kits.append(collect_kit(p, store, year=year, company=company))
    return report


def stored_facts(store_path: str | Path, year: int, company: str) -> dict[tuple, object]:
    """(scope, sheet_id, field, row_key) → value of every stored fact of a year."""
    with HistoryStore(Path(store_path)) as store:
        rows = store.db.execute(
            "SELECT scope, sheet_id, field, row_key, value FROM facts "
            "WHERE year = ? AND company = ?",
            (year, company),
        ).fetchall()
    return {tuple(r[:4]): json.loads(r[4]) for r in rows}


def stored_monthly_sales(
    store_path: str | Path, year: int, company: str
) -> list[tuple[str, int, float]]:
    """(customer_id, month, amount) of the actual sales of ``year`` collected from 9.3.2
    of any kit of ``company`` (the kits agree: a conflicting value is never stored)."""
    out = {}
    for (_scope, sheet_id, fld, row_key), value in stored_facts(store_path, year, company).items():
        if sheet_id != "9.3.2" or not fld.startswith("m") or not row_key.startswith("customer_id="):
            continue
        if not fld[1:].isdigit() or not isinstance(value, int | float):
            continue
        out[row_key.removeprefix("customer_id="), int(fld[1:])] = float(value)
    return sorted((cid, m, amount) for (cid, m), amount in out.items())


def with_history(plan, data, store_path: str | Path):
    """The data with last year's monthly sales taken from the history store where it has
    them (collected from last year's kits); data.xlsx supplies the rest. Returns the data
    and a note saying what was used."""
    from .rollover import with_months

    year = plan.year - 1
    monthly = stored_monthly_sales(store_path, year, plan.company)
    known = set(data.customers["customer_id"])
    used = [m for m in monthly if m[0] in known]
    skipped = len({cid for cid, _, _ in monthly} - known)
    note = (
        f"历史库 {Path(store_path).name}：{year} 年 {len(used)} 个客户月度实际销售额作为目标基数"
        + (f"；{skipped} 个客户不在客户表中，未使用" if skipped else "")
    )
    if not used:
        return data, f"历史库 {Path(store_path).name} 中没有 {plan.company} {year} 年的实际销售额"
    return with_months(data, year, used), note
