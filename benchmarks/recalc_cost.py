"""Cells referenced per full recalculation, counted from the formulas of a built kit.

    python benchmarks/recalc_cost.py out/salesplan_2026_company.xlsx [--top 10]
    python benchmarks/recalc_cost.py --customers 300 3000 10000   # builds demo kits first

Every cell formula of every sheet (``<f>`` in the sheet XML) is parsed with regular
expressions: each reference (``A1``, ``$D$4:$D$10003``, ``'Sheet'!B2:C9``, a defined
name) counts the cells of its range, once per occurrence in the formula, and the sum over
all formulas is what one full recalculation reads at least. String literals are removed
first; names are resolved through ``workbook.xml``. ``INDEX(r,i)`` reads one cell,
``ROWS(r)`` none; ``INDEX(r,i):INDEX(r,j)`` counts the whole of ``r`` (an upper bound). This is a model of the work, not a timing: a formula
whose count grows with the rows of its sheet (``SUM`` or ``COUNTIF`` over the whole
column from every row) makes the total grow with the square of the rows.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

_STRING = re.compile(r'"(?:[^"]|"")*"')
_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*)!"
_CELL = r"\$?[A-Z]{1,3}\$?[0-9]+"
_COLS = r"\$?[A-Z]{1,3}:\$?[A-Z]{1,3}"
_ROWS = r"\$?[0-9]+:\$?[0-9]+"
_REF = re.compile(
    rf"(?<![\w.$])(?:{_SHEET})?(?:({_CELL})(?::({_CELL}))?(?![\w(])|({_COLS})(?![\w(])|({_ROWS}))"
)
_NAME = re.compile(r"(?<![\w.$!'])([A-Za-z_\\][\w.]*)(?![\w(!])")
_F = re.compile(r"<f(?:\s[^>]*)?>([^<]*)</f>")
_COLROW = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")
_CELLREF = re.compile(r'<c r="([A-Z]+)[0-9]+"')


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _size(a: str, b: str | None) -> int:
    if b is None:
        return 1
    (c1, r1), (c2, r2) = _COLROW.match(a).groups(), _COLROW.match(b).groups()
    return (abs(_col(c2) - _col(c1)) + 1) * (abs(int(r2) - int(r1)) + 1)


def _area_size(text: str) -> int:
    m = _REF.fullmatch(text.strip())
    if not m:
        return 1
    if m.group(1):
        return _size(m.group(1), m.group(2))
    if m.group(3):
        c1, c2 = (s.strip("$") for s in m.group(3).split(":"))
        return (abs(_col(c2) - _col(c1)) + 1) * 1_048_576
    r1, r2 = (int(s.strip("$")) for s in m.group(4).split(":"))
    return (abs(r2 - r1) + 1) * 16_384


_ARG = rf"(?:{_SHEET})?(?:{_CELL}(?::{_CELL})?|[A-Za-z_][\w.]*)"
_DIMENSION = re.compile(rf"(?<![\w.])(ROWS|COLUMNS)\(\s*{_ARG}\s*\)")
_INDEX = re.compile(rf"(:?)(?<![\w.])INDEX\(\s*({_ARG})(?=\s*,)")


def formula_cost(formula: str, names: dict[str, int]) -> int:
    """Cells one evaluation of ``formula`` reads (each reference counted per occurrence).

    ``ROWS(r)`` and ``COLUMNS(r)`` read no cell; ``INDEX(r, i)`` reads one, except as the
    end of a range ``INDEX(r,i):INDEX(r,j)``, which counts the whole of ``r``."""
    body = _STRING.sub('""', formula)
    body = _DIMENSION.sub(r"\1(0)", body)
    total = 0

    def index(m: re.Match) -> str:
        nonlocal total
        if m.group(1):  # INDEX(..):INDEX(r, j): r stands for the range
            return m.group(0)
        total += 1
        return "INDEX(0"

    body = _INDEX.sub(index, body)
    for m in _REF.finditer(body):
        if m.group(1):
            total += _size(m.group(1), m.group(2))
        elif m.group(3):
            total += _area_size(m.group(3))
        else:
            total += _area_size(m.group(4))
    rest = _REF.sub(" ", body)
    for m in _NAME.finditer(rest):
        total += names.get(m.group(1), 0)
    return total


def _sheet_files(z: zipfile.ZipFile) -> dict[str, str]:
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    target |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)}
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', wb):
        out[html.unescape(name)] = "xl/" + target[rid].lstrip("/").removeprefix("xl/")
    return out


def count(path: str | Path) -> dict:
    """Total cells referenced, formulas counted, and the cost by sheet and column."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        names: dict[str, int] = {}
        for attrs, text in re.findall(r"<definedName([^>]*)>([^<]*)</definedName>", wb):
            if "localSheetId" in attrs:
                continue
            name = re.search(r'name="([^"]+)"', attrs).group(1)
            names[name] = _area_size(html.unescape(text).split("!")[-1])
        by_column: Counter = Counter()
        formulas = 0
        for sheet, member in _sheet_files(z).items():
            xml = z.read(member).decode()
            # each <f> belongs to the <c r="..."> opened last before it
            starts = [(m.start(), m.group(1)) for m in _CELLREF.finditer(xml)]
            k = 0
            for m in _F.finditer(xml):
                while k + 1 < len(starts) and starts[k + 1][0] < m.start():
                    k += 1
                cost = formula_cost(html.unescape(m.group(1)), names)
                by_column[(sheet, starts[k][1] if starts else "?")] += cost
                formulas += 1
    total = sum(by_column.values())
    return {
        "file": str(path),
        "formulas": formulas,
        "cells_referenced": total,
        "top": [
            {"sheet": s, "column": c, "cells": n, "share": round(n / total, 4) if total else 0}
            for (s, c), n in by_column.most_common(15)
        ],
    }


def build_and_count(customers: int, work: Path) -> dict:
    from salesplan_xl.kit import build_demo_kit

    path = build_demo_kit(work / str(customers), customers=customers)
    return {"customers": customers, **count(path)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kits", nargs="*", help="built kits (.xlsx/.xlsm)")
    ap.add_argument("--customers", type=int, nargs="*", default=[], help="build demo kits")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    results = [count(p) for p in args.kits]
    if args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            results += [build_and_count(n, Path(tmp)) for n in args.customers]
    for r in results:
        label = f"{r['customers']} customers" if "customers" in r else r["file"]
        print(f"{label}: {r['cells_referenced']:,} cells referenced by {r['formulas']:,} formulas")
        for t in r["top"][: args.top]:
            print(f"    {t['share']:6.1%}  {t['cells']:>15,}  {t['sheet']} column {t['column']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if not results:
        sys.exit("give a kit or --customers")


if __name__ == "__main__":
    main()
