"""VBA module text: checking, attribute headers and ``.bas``/``.cls`` files.

A module stream holds the module's source text in the project code page
([MS-OVBA] 2.3.4.3), starting with the hidden ``Attribute`` lines the VBA
editor does not show: ``VB_Name`` for every module and, for class and
document modules, the seven class attributes (VB_Base, VB_GlobalNameSpace,
VB_Creatable, VB_PredeclaredId, VB_Exposed, VB_TemplateDerived,
VB_Customizable) in the order Excel writes them. Lines end with CRLF.

Source must be ASCII (tab, CR and LF being the only control characters):
the project is read in whatever code page the user's Excel runs, so only
ASCII is the same everywhere. Chinese labels belong in the ribbon XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["VbaModule", "ModuleKind", "load_module", "check_identifier", "CLASS_ATTRIBUTES"]

ModuleKind = Literal["standard", "class", "document"]
KINDS = ("standard", "class", "document")

#: VB_Base of a class module (the VBA "Class" type library entry).
CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
#: VB_Base of Excel's Workbook document module (Excel's Workbook coclass).
WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'
#: VB_Base of Excel's Worksheet document modules (Excel's Worksheet coclass).
WORKSHEET_BASE = '"0{00020820-0000-0000-C000-000000000046}"'
#: Class attribute names in the order Excel stores them.
CLASS_ATTRIBUTES = (
    "VB_Base",
    "VB_GlobalNameSpace",
    "VB_Creatable",
    "VB_PredeclaredId",
    "VB_Exposed",
    "VB_TemplateDerived",
    "VB_Customizable",
)
CLASS_DEFAULTS = dict(
    zip(
        CLASS_ATTRIBUTES,
        (CLASS_BASE, "False", "False", "False", "False", "False", "False"),
        strict=True,
    )
)
DOCUMENT_DEFAULTS = dict(
    zip(
        CLASS_ATTRIBUTES,
        (WORKSHEET_BASE, "False", "False", "True", "True", "False", "True"),
        strict=True,
    )
)
ATTRIBUTE_LINE = re.compile(r"^Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*$")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
EXPORT_HEADER_START = re.compile(r"^VERSION\s+\d+\.\d+\s+CLASS\s*$", re.IGNORECASE)


def check_identifier(name: str, what: str) -> None:
    """Require a VBA identifier: ASCII letter first, then letters, digits, ``_``; 1-31 chars."""
    if not IDENTIFIER.match(name):
        raise ValueError(
            f"{what} {name!r} is not a VBA identifier "
            "(ASCII letter, then letters, digits or '_', at most 31 characters)"
        )


def check_ascii(text: str, module: str) -> None:
    """Raise ``ValueError`` naming module, line and column of the first character VBA text must not hold."""
    for line_no, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        for col, char in enumerate(line, start=1):
            code = ord(char)
            if code > 0x7E or (code < 0x20 and char != "\t"):
                kind = "non-ASCII" if code > 0x7F else "control"
                raise ValueError(
                    f"module {module!r}, line {line_no}, column {col}: {kind} character "
                    f"{char!r} (U+{code:04X}); VBA source must be ASCII"
                )


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` with CRLF, CR or LF endings (no other separators)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def strip_export_header(lines: list[str]) -> list[str]:
    """Drop the ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` block of an exported ``.cls`` file.

    The VBA editor writes it when exporting; it is not part of the stored module.
    """
    if not lines or not EXPORT_HEADER_START.match(lines[0]):
        return lines
    for index, line in enumerate(lines):
        if line.strip().upper() == "END":
            return lines[index + 1 :]
    raise ValueError("exported class file: VERSION ... CLASS header has no END line")


def split_attributes(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split leading ``Attribute VB_x = value`` lines from the code below them."""
    attributes: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = ATTRIBUTE_LINE.match(line)
        if not match:
            return attributes, lines[index:]
        attributes[match.group(1)] = match.group(2)
    return attributes, []


def parse_source(source: str) -> tuple[dict[str, str], list[str]]:
    """Leading attributes and code lines of module text (export header dropped)."""
    return split_attributes(strip_export_header(split_lines(source)))


def unquote(value: str) -> str:
    """``"Name"`` -> ``Name``."""
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name, its code and its kind.

    ``source`` may start with ``Attribute VB_...`` lines (as in exported
    ``.bas``/``.cls`` files, whose ``VERSION ... CLASS`` block is dropped); their
    values are kept, ``VB_Name`` must equal ``name``, and missing standard
    attributes are added. ``kind``: ``"standard"`` (procedural module),
    ``"class"`` or ``"document"`` (ThisWorkbook, Sheet1, ...: their names must
    equal the workbook's and sheets' code names).
    """

    name: str
    source: str
    kind: ModuleKind = "standard"

    def __post_init__(self) -> None:
        check_identifier(self.name, "module name")
        if self.kind not in KINDS:
            raise ValueError(
                f"module {self.name!r}: kind must be one of {KINDS}, not {self.kind!r}"
            )
        check_ascii(self.source, self.name)
        given = parse_source(self.source)[0]
        if "VB_Name" in given and unquote(given["VB_Name"]) != self.name:
            raise ValueError(
                f"module {self.name!r}: source says Attribute VB_Name = {given['VB_Name']}"
            )

    @property
    def code_lines(self) -> list[str]:
        """The code below the attribute header, one string per line."""
        return parse_source(self.source)[1]

    def attributes(self) -> list[tuple[str, str]]:
        """The module's header attributes in stored order (VB_Name first)."""
        given = parse_source(self.source)[0]
        ordered = [("VB_Name", f'"{self.name}"')]
        if self.kind != "standard":
            defaults = dict(CLASS_DEFAULTS if self.kind == "class" else DOCUMENT_DEFAULTS)
            if self.kind == "document" and self.name == "ThisWorkbook":
                defaults["VB_Base"] = WORKBOOK_BASE
            ordered += [(key, given.get(key, defaults[key])) for key in CLASS_ATTRIBUTES]
        known = {key for key, _ in ordered}
        ordered += [(key, value) for key, value in given.items() if key not in known]
        return ordered

    def stored_text(self) -> str:
        """The exact text of the module stream before compression (CRLF line ends)."""
        lines = [f"Attribute {key} = {value}" for key, value in self.attributes()]
        lines += self.code_lines
        return "".join(line + "\r\n" for line in lines)

    @property
    def module_type_record(self) -> int:
        """MODULETYPE record Id: 0x0021 procedural, 0x0022 class/document ([MS-OVBA] 2.3.4.2.3.2.8)."""
        return 0x0021 if self.kind == "standard" else 0x0022


def load_module(path: str | Path, kind: ModuleKind | None = None) -> VbaModule:
    """Read a ``.bas`` or ``.cls`` file into a :class:`VbaModule`.

    The name comes from the file's ``Attribute VB_Name`` line (else the file
    name). Without ``kind``: ``.bas`` is standard; ``.cls`` is a document
    module if it names an Excel ``VB_Base`` (or is ``ThisWorkbook``), else a
    class. The file must be ASCII.
    """
    path = Path(path)
    # latin-1 maps every byte to one character, so VbaModule's ASCII check can
    # report the line and column of any non-ASCII byte.
    text = path.read_bytes().decode("latin-1")
    check_ascii(text, path.stem)
    attributes = parse_source(text)[0]
    name = unquote(attributes.get("VB_Name", f'"{path.stem}"'))
    return VbaModule(name, text, kind or guess_kind(path, name, attributes))


def guess_kind(path: Path, name: str, attributes: dict[str, str]) -> ModuleKind:
    """Module kind from file extension and attributes (see :func:`load_module`)."""
    suffix = path.suffix.lower()
    if suffix == ".bas":
        return "standard"
    if suffix != ".cls":
        raise ValueError(f"{path}: expected a .bas or .cls file (or pass kind=...)")
    base = attributes.get("VB_Base", "")
    if name == "ThisWorkbook" or "{00020819-" in base or "{00020820-" in base:
        return "document"
    return "class"
