"""Audit a kit as it comes back: the cross-sheet identities, overwritten formulas, and
input cells holding the wrong kind of value.

A kit is read through its defined names (``t_<sheet>_<column>``, ``cfg_*``), never by
header text or column letters, so a workbook re-saved by Excel, WPS or LibreOffice, or
renamed, is read the same way. Values come from the cells' cached results (python-calamine);
formulas from a streaming read of the sheet XML.

The identities are declared in ``workbook_templates/checks/identities.yaml``: each says
that two expressions over defined names are equal (to the cent). An expression is terms
joined by ``+`` or ``-``; a term is ``NAME`` (a one-cell name), ``sum(NAME)`` (the numbers of
a range), ``first(NAME)`` (the first cell of a range) or a number.

    >>> from salesplan_xl.config import demo_plan
    >>> from salesplan_xl.data.demo import demo_dataset
    >>> from salesplan_xl.kit import build_kit
    >>> import tempfile
    >>> kit = build_kit(demo_plan(), demo_dataset(customers=30), tempfile.mkdtemp())
    >>> report = audit_kit(kit)
    >>> report.clean, len(report.identities) >= 25
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import yaml

from .sheets.layout import col_name, column_name
from .sheets.spec import TEMPLATE_DIR, load_specs

IDENTITIES_FILE = TEMPLATE_DIR / "checks" / "identities.yaml"
TOLERANCE = 0.005  # half a cent: identities hold to the cent

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TERM = re.compile(r"\s*([+-]?)\s*(?:(sum|first)\(\s*(\w+)\s*\)|(\d+(?:\.\d+)?)|(\w+))\s*")
_REF = re.compile(r"^'?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")
#: A cell whose first child is a formula: <c r="D5" ...><f>…, <f t="shared" si="0"/>.
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)([0-9]+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')
_NUMERIC = {"money", "money0", "amount", "number", "int", "percent", "hours", "year"}


@dataclass(frozen=True)
class Identity:
    """Two expressions over defined names that must be equal in every kit."""

    id: str
    text: str
    left: str
    right: str


@dataclass(frozen=True)
class Area:
    """Where a defined name points: a sheet and a rectangle (0-based, inclusive)."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    def a1(self, r: int | None = None, c: int | None = None) -> str:
        if r is not None:
            return f"{col_name(c if c is not None else self.c1)}{r + 1}"
        first = f"{col_name(self.c1)}{self.r1 + 1}"
        if (self.r1, self.c1) == (self.r2, self.c2):
            return first
        return f"{first}:{col_name(self.c2)}{self.r2 + 1}"

    def cells(self):
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                yield r, c


@dataclass(frozen=True)
class Finding:
    """One problem: what is wrong, where (sheet and cell), what was found."""

    kind: str  # identity | overwritten_formula | wrong_type | unreadable
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet else "(workbook)"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class IdentityResult:
    identity: Identity
    left: float | None
    right: float | None
    status: str  # ok | broken | not_applicable
    where: str = ""  # the cells of both sides
    reason: str = ""


@dataclass
class AuditReport:
    path: Path
    identities: list[IdentityResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    kit: dict[str, str] = field(default_factory=dict)  # the kit's identity properties

    @property
    def clean(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        ok = sum(r.status == "ok" for r in self.identities)
        na = sum(r.status == "not_applicable" for r in self.identities)
        who = ""
        if self.kit:
            k = {name.removeprefix("salesplan."): v for name, v in self.kit.items()}
            who = f" [{k.get('company', '')} {k.get('year', '')} {k.get('scope', '')}]"
        out = [f"{self.path.name}{who}: {ok} identities hold, {na} not applicable"]
        out += [str(f) for f in self.findings]
        return out


def load_identities(path: Path = IDENTITIES_FILE) -> tuple[Identity, ...]:
    """The declared identities (checked against the grammar when loaded)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    out = []
    for k, item in enumerate(raw):
        ident = Identity(
            str(item["id"]), str(item.get("text", "")), str(item["left"]), str(item["right"])
        )
        for side in (ident.left, ident.right):
            _parse(side, f"{path.name} item {k + 1} ({ident.id})")
        out.append(ident)
    ids = [i.id for i in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: duplicate identity ids")
    return tuple(out)


def _parse(expr: str, where: str = "") -> list[tuple[int, str, str]]:
    """Terms as (sign, function, name); function is '' for a one-cell name."""
    terms, pos = [], 0
    while pos < len(expr):
        m = _TERM.match(expr, pos)
        if not m or m.end() == pos or (terms and not m.group(1)):
            raise ValueError(f"{where}: cannot read {expr!r} at {pos}")
        sign = -1 if m.group(1) == "-" else 1
        if m.group(4):
            terms.append((sign, "number", m.group(4)))
        else:
            terms.append((sign, m.group(2) or "", m.group(3) or m.group(5)))
        pos = m.end()
    if not terms:
        raise ValueError(f"{where}: empty expression")
    return terms


class KitBook:
    """A kit workbook read through its defined names."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._zip = zipfile.ZipFile(self.path)
        self._values: dict[str, list[list]] = {}
        self._formulas: dict[str, set[tuple[int, int]]] = {}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> KitBook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def _workbook(self) -> ET.Element:
        return ET.fromstring(self._zip.read("xl/workbook.xml"))

    @cached_property
    def names(self) -> dict[str, Area]:
        """Workbook-level defined names that point at one rectangle."""
        out = {}
        for dn in self._workbook.iterfind("m:definedNames/m:definedName", _NS):
            if dn.get("localSheetId") is not None or not dn.text:
                continue
            m = _REF.match(dn.text.strip().lstrip("="))
            if not m:
                continue
            sheet = m.group(1).replace("''", "'")
            c1, r1 = _col_index(m.group(2)), int(m.group(3)) - 1
            c2 = _col_index(m.group(4)) if m.group(4) else c1
            r2 = int(m.group(5)) - 1 if m.group(5) else r1
            out[dn.get("name")] = Area(sheet, r1, c1, r2, c2)
        return out

    @cached_property
    def _sheet_parts(self) -> dict[str, str]:
        rels = ET.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for s in self._workbook.iterfind("m:sheets/m:sheet", _NS):
            t = target[s.get(_REL)]
            part = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
            out[s.get("name")] = part
        return out

    @cached_property
    def _calamine(self):
        from python_calamine import CalamineWorkbook

        return CalamineWorkbook.from_path(str(self.path))

    def values(self, sheet: str) -> list[list]:
        """The sheet's cached values from A1 (rows of cells; blanks as ''), read once."""
        if sheet not in self._values:
            grid = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            self._values[sheet] = grid
        return self._values[sheet]

    def value(self, sheet: str, r: int, c: int):
        grid = self.values(sheet)
        return grid[r][c] if r < len(grid) and c < len(grid[r]) else ""

    def formulas(self, sheet: str) -> set[tuple[int, int]]:
        """The (row, col) of every cell holding a formula: a scan of the sheet XML for
        cells whose first child is ``<f>`` (as Excel, WPS, LibreOffice and XlsxWriter
        write them), without building a tree."""
        if sheet not in self._formulas:
            xml = self._zip.read(self._sheet_parts[sheet])
            self._formulas[sheet] = {
                (int(row) - 1, _col_index(col.decode())) for col, row in _FORMULA_CELL.findall(xml)
            }
        return self._formulas[sheet]


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _a1_index(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)) - 1, _col_index(m.group(1))


class _Missing(Exception):
    pass


def _number(book: KitBook, area: Area, r: int, c: int) -> float:
    v = book.value(area.sheet, r, c)
    if v in ("", None):
        return 0.0
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError(f"{area.sheet}!{area.a1(r, c)}: expected a number, found {v!r}")
    return float(v)


def evaluate(expr: str, book: KitBook) -> tuple[float, str]:
    """The value of an identity expression in ``book`` and the cells it read."""
    total, where = 0.0, []
    for sign, fn, name in _parse(expr):
        if fn == "number":
            total += sign * float(name)
            continue
        area = book.names.get(name)
        if area is None:
            raise _Missing(name)
        if fn == "sum":
            value = sum(_number(book, area, r, c) for r, c in area.cells())
        elif fn == "first" or (area.r1, area.c1) == (area.r2, area.c2):
            value = _number(book, area, area.r1, area.c1)
        else:
            raise ValueError(f"{name} is a range: use sum({name}) or first({name})")
        total += sign * value
        where.append(f"{area.sheet}!{area.a1() if fn != 'first' else area.a1(area.r1)}")
    return round(total, 6), ", ".join(where)


def check_identities(
    book: KitBook, identities: tuple[Identity, ...] | None = None
) -> list[IdentityResult]:
    """Every identity evaluated on ``book``; one whose names the kit lacks (a sheet with
    no rows in this scope) is not applicable."""
    out = []
    for ident in identities or load_identities():
        try:
            left, lw = evaluate(ident.left, book)
            right, rw = evaluate(ident.right, book)
        except _Missing as missing:
            out.append(IdentityResult(ident, None, None, "not_applicable", "", str(missing)))
            continue
        except ValueError as exc:
            out.append(IdentityResult(ident, None, None, "broken", "", str(exc)))
            continue
        status = "ok" if abs(left - right) <= TOLERANCE else "broken"
        out.append(IdentityResult(ident, left, right, status, f"{lw} = {rw}"))
    return out


def _column_findings(book: KitBook) -> list[Finding]:
    """Computed columns holding constants, and input columns holding the wrong type."""
    out = []
    for spec in load_specs():
        if spec.kind not in ("list", "grid"):
            continue
        for c in spec.columns:
            area = book.names.get(column_name(spec.id, c.key))
            if area is None:
                continue
            if c.measure:
                formulas = book.formulas(area.sheet)
                for r, col in area.cells():
                    v = book.value(area.sheet, r, col)
                    if v not in ("", None) and (r, col) not in formulas:
                        out.append(
                            Finding(
                                "overwritten_formula",
                                area.sheet,
                                area.a1(r, col),
                                f"formula replaced by the constant {v!r}",
                            )
                        )
            elif c.input and (c.type in _NUMERIC or c.type == "date"):
                for r, col in area.cells():
                    v = book.value(area.sheet, r, col)
                    if _wrong_type(v, c.type):
                        expected = "a date" if c.type == "date" else "a number"
                        out.append(
                            Finding(
                                "wrong_type",
                                area.sheet,
                                area.a1(r, col),
                                f"expected {expected}, found {v!r}",
                            )
                        )
    return out


def _wrong_type(v, kind: str) -> bool:
    if v in ("", None):
        return False
    if kind == "date":
        return not isinstance(v, dt.date | int | float) or isinstance(v, bool)
    return not isinstance(v, int | float) or isinstance(v, bool)


def audit_kit(path: str | Path) -> AuditReport:
    """Audit one kit: every identity, every computed and input column.

    ``report.clean`` is True when every applicable identity holds and no formula was
    overwritten or input cell holds the wrong type; ``report.findings`` name each problem
    by sheet and cell."""
    path = Path(path)
    report = AuditReport(path)
    try:
        book = KitBook(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.findings.append(Finding("unreadable", "", "", f"not an xlsx workbook: {exc}"))
        return report
    with book:
        from .identity import read_identity

        report.kit = read_identity(path)
        report.identities = check_identities(book)
        for res in report.identities:
            if res.status == "broken":
                detail = res.reason or (
                    f"{res.left:,.2f} ≠ {res.right:,.2f} (difference {res.left - res.right:,.2f})"
                )
                sheet, _, cell = (res.where.split(",")[0]).partition("!")
                report.findings.append(
                    Finding(
                        "identity",
                        sheet,
                        cell,
                        f"identity {res.identity.id} ({res.identity.text}) broken: {detail}; "
                        f"cells {res.where}",
                    )
                )
        report.findings.extend(_column_findings(book))
    return report
