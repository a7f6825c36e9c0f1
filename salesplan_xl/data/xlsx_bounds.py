"""Bound an input workbook by its declared and actual size before any reader opens it.

A 30 KB .xlsx with one cell at XFD1048576 makes a reader allocate the whole rectangle
(hundreds of GiB); a 1.5 MB file whose shared strings unpack to a gigabyte takes that
much memory. :func:`bound_problems` looks only at the zip directory and streams the
sheet XML through a few byte patterns (no parsing, constant memory), and returns a
:class:`~salesplan_xl.errors.Problem` for each sheet or part beyond:

- :data:`MAX_COLUMNS` columns (an .xls has 256; the input tables use about 20),
- :data:`MAX_ROWS` rows (Excel's own limit),
- :data:`MAX_SHARED_STRINGS_BYTES` of shared strings, :data:`MAX_SHEET_XML_BYTES` of
  one sheet's XML, uncompressed,

whether declared (``<dimension ref>``) or present (a cell or row beyond them).
Files that are not zip packages (.xls) are left to the reader.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from ..errors import Problem

MAX_ROWS = 1_048_576
MAX_COLUMNS = 256
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
MAX_SHEET_XML_BYTES = 2 * 1024 * 1024 * 1024

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')
# a cell reference in a column beyond IV (256): three letters, J..Z + letter, IW..IZ
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="((?:[A-Z]{3,}|[J-Z][A-Z]|I[W-Z])\d+)"')
# a row numbered 1,000,000 or more (only those can be beyond MAX_ROWS)
_HIGH_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d{7,})"')
_CHUNK = 1 << 20


def col_number(letters: str) -> int:
    """``"A"`` -> 1, ``"IV"`` -> 256, ``"XFD"`` -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_parts(z: zipfile.ZipFile, visible_only: bool = False) -> list[tuple[str, str]]:
    """(sheet name, zip part) of each worksheet, in workbook order; with
    ``visible_only``, hidden sheets are left out."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(f"{_PKG_REL}Relationship")}
    out = []
    for sh in wb.iter(f"{_NS}sheet"):
        if visible_only and sh.get("state") in ("hidden", "veryHidden"):
            continue
        target = targets.get(sh.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        out.append((sh.get("name", ""), part))
    return out


def _scan(z: zipfile.ZipFile, part: str) -> tuple[int, int, str | None]:
    """(rows: the larger of the declared and the highest present, declared columns, the
    first cell present beyond MAX_COLUMNS or None), streamed through the sheet's XML."""
    max_row = 0
    wide = None
    declared = (0, 0)
    tail = b""
    first = True
    with z.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            buf = tail + chunk
            if first:
                m = _DIMENSION.search(buf[:4096])
                if m:
                    c2 = (m[3] or m[1]).decode()
                    r2 = (m[4] or m[2]).decode()
                    declared = (int(r2) if r2 else 0, col_number(c2) if c2 else 0)
                first = False
            if wide is None:
                w = _WIDE_CELL.search(buf)
                if w:
                    wide = w[1].decode()
            for m in _HIGH_ROW.finditer(buf):
                n = int(m[1])
                if n > max_row:
                    max_row = n
            tail = buf[-256:]
    return max(declared[0], max_row), declared[1], wide


def bound_problems(path: Path, label: str) -> list[Problem]:
    """Problems for the parts of the workbook at ``path`` beyond the limits (see the
    module docstring); ``[]`` for a workbook within them or a file that is no zip."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return []
    out: list[Problem] = []
    with z:
        try:
            sheets = sheet_parts(z)
        except (KeyError, ET.ParseError):
            return []  # not a spreadsheet package: the reader says so
        info = {i.filename: i for i in z.infolist()}
        strings = info.get("xl/sharedStrings.xml")
        if strings is not None and strings.file_size > MAX_SHARED_STRINGS_BYTES:
            out.append(
                Problem(
                    label,
                    expected=f"shared strings of at most {MAX_SHARED_STRINGS_BYTES >> 20} MB "
                    "unpacked",
                    found=f"{strings.file_size / (1 << 20):,.0f} MB",
                )
            )
        for name, part in sheets:
            i = info.get(part)
            if i is None:
                continue
            if i.file_size > MAX_SHEET_XML_BYTES:
                out.append(
                    Problem(
                        label,
                        sheet=name,
                        expected=f"at most {MAX_SHEET_XML_BYTES >> 20} MB of sheet data unpacked",
                        found=f"{i.file_size / (1 << 20):,.0f} MB",
                    )
                )
                continue
            try:
                rows, cols, wide = _scan(z, part)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                continue  # the reader reports a damaged file
            if rows > MAX_ROWS:
                out.append(
                    Problem(
                        label,
                        sheet=name,
                        expected=f"at most {MAX_ROWS} rows",
                        found=f"{rows} rows",
                    )
                )
            if wide or cols > MAX_COLUMNS:
                found = f"a cell at {wide}" if wide else f"{cols} columns declared"
                out.append(
                    Problem(
                        label,
                        sheet=name,
                        expected=f"at most {MAX_COLUMNS} columns",
                        found=found,
                    )
                )
    return out
