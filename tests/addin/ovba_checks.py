"""An independent checker of macro-enabled packages (``.xlam`` / ``.xlsm``) and their
``vbaProject.bin``, written from the specifications' literals, not from the writer.

Nothing here imports ``salesplan_xl.addin``: the compound file is read with olefile,
streams are decompressed with oletools' MS-OVBA decompressor, the ``dir`` stream is
parsed here record by record ([MS-OVBA] 2.3.4.2), and every record id, GUID,
relationship type and namespace below is copied from the specifications:

- [MS-OVBA] 2.3.4.2: ``dir`` stream records; 2.3.4.2.2.5 REFERENCEREGISTERED;
  2.3.4.2.3.2.8 MODULETYPE (0x0021 procedural, 0x0022 document/class/designer);
  2.3.1 PROJECT stream (``Document=``, ``Module=``, ``Class=``).
- [MS-OSHARED] / Office type libraries: stdole ``{00020430-0000-0000-C000-000000000046}``,
  Microsoft Office Object Library ``{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}``.
- [MS-CUSTOMUI2] (Office 2010 ribbon): namespace
  ``http://schemas.microsoft.com/office/2009/07/customui``, reached through the package
  relationship ``http://schemas.microsoft.com/office/2007/relationships/ui/extensibility``.
- ECMA-376 Part 1 18.2.28 ``workbookPr/@codeName``, 18.3.1.82 ``sheetPr/@codeName``.
- [MS-VBAL] 3.4 conditional compilation and 4.2 module grammar; syntax is checked with the
  MS-VBAL grammar of the ``antlr4-vba`` package.

:func:`check_package` returns a list of problems (empty when the file is sound), each
naming the part, stream or module and what is wrong.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import olefile
from oletools.olevba import decompress_stream

# --- literals from the specifications ---------------------------------------------------
STDOLE_GUID = "{00020430-0000-0000-C000-000000000046}"
OFFICE_GUID = "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}"
RIBBON_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_NS_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_DOC_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
VBA_PROJECT_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_DOC_CLASS_DESIGNER = 0x0022
DIR_TERMINATOR = 0x0010
PROJECTVERSION = 0x0009
PROJECTCODEPAGE = 0x0003
REFERENCENAME = 0x0016
REFERENCEREGISTERED = 0x000D
PROJECTMODULES = 0x000F
MODULENAME = 0x0019
MODULESTREAMNAME = 0x001A
MODULEOFFSET = 0x0031
MODULE_TERMINATOR = 0x002B

#: [MS-VBAL] 4.2: the only module-header attributes of the language grammar. Others
#: (VB_Base, VB_TemplateDerived, VB_Description) belong to the implementation's header.
VBAL_HEADER_ATTRIBUTES = {
    "VB_NAME",
    "VB_GLOBALNAMESPACE",
    "VB_CREATABLE",
    "VB_PREDECLAREDID",
    "VB_EXPOSED",
    "VB_CUSTOMIZABLE",
}

#: [MS-VBAL] 3.4.1 predefined compilation constants, per host. ``MAC_OFFICE_VERSION`` is
#: defined by Excel for Mac 2016 and later.
BRANCHES: dict[str, dict[str, object]] = {
    "Win64": {
        "VBA6": True,
        "VBA7": True,
        "Win16": False,
        "Win32": True,
        "Win64": True,
        "Mac": False,
    },
    "Win32": {
        "VBA6": True,
        "VBA7": True,
        "Win16": False,
        "Win32": True,
        "Win64": False,
        "Mac": False,
    },
    "Mac": {
        "VBA6": True,
        "VBA7": True,
        "Win16": False,
        "Win32": False,
        "Win64": False,
        "Mac": True,
        "MAC_OFFICE_VERSION": 16,
    },
}


# --- the dir stream ---------------------------------------------------------------------
@dataclass
class DirModule:
    name: str
    stream_name: str = ""
    offset: int | None = None
    module_type: int | None = None


@dataclass
class DirStream:
    code_page: int | None = None
    libids: list[str] = field(default_factory=list)
    reference_names: list[str] = field(default_factory=list)
    module_count: int | None = None
    modules: list[DirModule] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The records of a decompressed ``dir`` stream: (Id, data). PROJECTVERSION carries a
    Reserved field of 4 but 6 bytes of data ([MS-OVBA] 2.3.4.2.1.11)."""
    records: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise ValueError(f"dir stream: {len(data) - pos} stray bytes at offset {pos}")
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == PROJECTVERSION:
            size = 6
        body = data[pos + 6 : pos + 6 + size]
        if len(body) != size:
            raise ValueError(f"dir stream: record 0x{rid:04X} at {pos} runs past the end")
        records.append((rid, body))
        pos += 6 + size
    return records


def parse_dir(data: bytes) -> DirStream:
    result = DirStream()
    try:
        records = dir_records(data)
    except ValueError as exc:
        result.problems.append(str(exc))
        return result
    if not data.endswith(struct.pack("<HI", DIR_TERMINATOR, 0)) or records[-1][0] != DIR_TERMINATOR:
        result.problems.append(
            "dir stream does not end with its Terminator (Id 0x0010, Reserved 0x00000000)"
        )
    encoding = "cp1252"
    current: DirModule | None = None
    for rid, body in records:
        if rid == PROJECTCODEPAGE:
            result.code_page = struct.unpack("<H", body)[0]
            encoding = f"cp{result.code_page}"
        elif rid == REFERENCENAME:
            result.reference_names.append(body.decode(encoding, "replace"))
        elif rid == REFERENCEREGISTERED:
            (size,) = struct.unpack_from("<I", body)
            result.libids.append(body[4 : 4 + size].decode(encoding, "replace"))
            if body[4 + size :] != b"\0" * 6:
                result.problems.append("REFERENCEREGISTERED: Reserved1/Reserved2 are not zero")
        elif rid == PROJECTMODULES:
            result.module_count = struct.unpack("<H", body)[0]
        elif rid == MODULENAME:
            current = DirModule(body.decode(encoding, "replace"))
            result.modules.append(current)
        elif current is not None and rid == MODULESTREAMNAME:
            current.stream_name = body.decode(encoding, "replace")
        elif current is not None and rid == MODULEOFFSET:
            current.offset = struct.unpack("<I", body)[0]
        elif current is not None and rid in (MODULETYPE_PROCEDURAL, MODULETYPE_DOC_CLASS_DESIGNER):
            current.module_type = rid
        elif rid == MODULE_TERMINATOR:
            current = None
    if result.module_count != len(result.modules):
        result.problems.append(
            f"dir stream: PROJECTMODULES says {result.module_count} modules, "
            f"{len(result.modules)} MODULE records follow"
        )
    for module in result.modules:
        if module.module_type is None:
            result.problems.append(f"dir stream: module {module.name!r} has no MODULETYPE record")
        if module.offset is None or not module.stream_name:
            result.problems.append(f"dir stream: module {module.name!r} lacks stream name/offset")
    return result


def libid_guid(libid: str) -> str | None:
    """The GUID of a LibidReference ``*\\G{GUID}#major.minor#lcid#path#description``
    ([MS-OVBA] 2.1.1.8)."""
    match = re.match(r"\*\\[GH](\{[0-9A-Fa-f-]{36}\})#", libid)
    return match.group(1).upper() if match else None


# --- the VBA project ----------------------------------------------------------------------
@dataclass
class VbaProject:
    dir: DirStream
    sources: dict[str, str]
    project_kinds: dict[str, str]  # module name -> Document / Module / Class / BaseClass
    problems: list[str]


def read_vba_project(blob: bytes) -> VbaProject:
    problems: list[str] = []
    ole = olefile.OleFileIO(io.BytesIO(blob))
    try:
        streams = {"/".join(p).upper(): "/".join(p) for p in ole.listdir()}

        def read(name: str) -> bytes:
            return ole.openstream(streams[name.upper()]).read()

        if "VBA/DIR" not in streams:
            raise ValueError("vbaProject.bin has no VBA/dir stream")
        parsed = parse_dir(bytes(decompress_stream(bytearray(read("VBA/dir")))))
        problems += parsed.problems
        encoding = f"cp{parsed.code_page or 1252}"
        sources: dict[str, str] = {}
        for module in parsed.modules:
            key = f"VBA/{module.stream_name}"
            if key.upper() not in streams:
                problems.append(f"module {module.name!r}: stream {key} is missing")
                continue
            raw = read(key)[module.offset or 0 :]
            sources[module.name] = bytes(decompress_stream(bytearray(raw))).decode(encoding)
        kinds: dict[str, str] = {}
        if "PROJECT" in streams:
            for line in read("PROJECT").decode(encoding, "replace").splitlines():
                match = re.match(r"^(Document|Module|Class|BaseClass)=([^/]+)", line)
                if match:
                    kinds[match.group(2)] = match.group(1)
        else:
            problems.append("vbaProject.bin has no PROJECT stream")
    finally:
        ole.close()
    return VbaProject(parsed, sources, kinds, problems)


def check_references(project: VbaProject) -> list[str]:
    """(a) stdole and the Office library are referenced (IRibbonControl lives in Office)."""
    guids = {libid_guid(libid) for libid in project.dir.libids}
    problems = []
    for what, guid in (("stdole (OLE Automation)", STDOLE_GUID), ("Office", OFFICE_GUID)):
        if guid not in guids:
            problems.append(f"dir stream: no REFERENCEREGISTERED to {what} {guid}")
    return problems


def check_module_types(project: VbaProject, code_names: list[str]) -> list[str]:
    """(c) each code name has a document module and each document module a code name;
    procedural modules are 0x0021, the rest 0x0022, agreeing with the PROJECT stream."""
    problems = []
    types = {m.name.upper(): m for m in project.dir.modules}
    kinds = {name.upper(): kind for name, kind in project.project_kinds.items()}
    for name in code_names:
        module = types.get(name.upper())
        if module is None:
            problems.append(f"code name {name!r} has no VBA module")
        elif module.module_type != MODULETYPE_DOC_CLASS_DESIGNER:
            problems.append(
                f"code name {name!r}: its module has MODULETYPE 0x{module.module_type or 0:04X}, "
                "not 0x0022 (document)"
            )
        elif kinds.get(name.upper()) != "Document":
            problems.append(f"code name {name!r}: PROJECT stream does not list Document={name}")
    wanted = {n.upper() for n in code_names}
    for module in project.dir.modules:
        kind = kinds.get(module.name.upper())
        if kind is None:
            problems.append(f"module {module.name!r} is not listed in the PROJECT stream")
            continue
        if kind == "Document" and module.name.upper() not in wanted:
            problems.append(
                f"document module {module.name!r} matches no sheet or workbook code name"
            )
        expected = MODULETYPE_PROCEDURAL if kind == "Module" else MODULETYPE_DOC_CLASS_DESIGNER
        if module.module_type != expected:
            problems.append(
                f"module {module.name!r} ({kind}= in PROJECT) has MODULETYPE "
                f"0x{module.module_type or 0:04X}, expected 0x{expected:04X}"
            )
        header = header_attributes(project.sources.get(module.name, ""))
        has_class_attrs = "VB_BASE" in header or "VB_PREDECLAREDID" in header
        if module.module_type == MODULETYPE_PROCEDURAL and has_class_attrs:
            problems.append(f"module {module.name!r}: procedural module with class attributes")
        if module.module_type == MODULETYPE_DOC_CLASS_DESIGNER and not has_class_attrs:
            problems.append(f"module {module.name!r}: MODULETYPE 0x0022 without class attributes")
    return problems


# --- module text ---------------------------------------------------------------------------
_ATTRIBUTE = re.compile(r"^Attribute\s+(VB_\w+)\s*=", re.IGNORECASE)


def header_attributes(source: str) -> set[str]:
    names = set()
    for line in source.splitlines():
        match = _ATTRIBUTE.match(line)
        if not match:
            break
        names.add(match.group(1).upper())
    return names


def logical_lines(source: str) -> list[str]:
    """Physical lines joined at line continuations (`` _`` at the end of a line)."""
    out: list[str] = []
    pending = ""
    for line in source.splitlines():
        if re.search(r"\s_\s*$", line):
            pending += re.sub(r"_\s*$", "", line)
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return out


def ribbon_callbacks(ribbon_xml: bytes) -> list[str]:
    root = ElementTree.fromstring(ribbon_xml)
    return sorted({e.get("onAction") for e in root.iter() if e.get("onAction")})


def check_callbacks(project: VbaProject, callbacks: list[str]) -> list[str]:
    """(d) ``onAction="Module.Proc"``: ``Module`` exists and declares a public
    ``Sub Proc(control As IRibbonControl)`` ([MS-CUSTOMUI2] onAction signature)."""
    problems = []
    by_name = {name.upper(): src for name, src in project.sources.items()}
    for callback in callbacks:
        module_name, _, proc = callback.rpartition(".")
        candidates = [by_name.get(module_name.upper())] if module_name else list(by_name.values())
        if module_name and candidates == [None]:
            problems.append(f"onAction {callback!r}: no VBA module {module_name!r}")
            continue
        pattern = re.compile(
            rf"^\s*(Public\s+)?Sub\s+{re.escape(proc)}\s*\(\s*(ByRef\s+|ByVal\s+)?\w+\s+As\s+"
            r"(Office\.)?IRibbonControl\s*\)\s*('.*)?$",
            re.IGNORECASE,
        )
        if not any(pattern.match(line) for src in candidates if src for line in logical_lines(src)):
            problems.append(
                f"onAction {callback!r}: no Public Sub {proc}(control As IRibbonControl)"
                + (f" in module {module_name}" if module_name else "")
            )
    return problems


# --- conditional compilation ([MS-VBAL] 3.4) -----------------------------------------------
_CC_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>\d+(?:\.\d+)?)|(?P<op><>|<=|>=|[=<>()&+\-])'
    r"|(?P<name>[A-Za-z_]\w*))"
)


class _CcExpression:
    """A conditional-compilation expression: literals, constants, ``&``, ``+``/``-``,
    comparisons, ``Not``, ``And``, ``Or``, ``Xor``; undefined constants are Empty."""

    def __init__(self, text: str, constants: dict[str, object]):
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            match = _CC_TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise ValueError(f"cannot read #If expression {text!r} at {text[pos:]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
            if text[pos:].strip() == "":
                break
        self.pos = 0
        self.constants = {k.upper(): v for k, v in constants.items()}

    def value(self) -> object:
        result = self.xor()
        if self.pos != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.pos][1]!r} in #If expression")
        return result

    def peek(self) -> str:
        return self.tokens[self.pos][1].upper() if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    @staticmethod
    def truth(value: object) -> bool:
        return bool(value) if value is not None else False

    def xor(self) -> object:
        left = self.or_()
        while self.peek() == "XOR":
            self.take()
            left = self.truth(left) != self.truth(self.or_())
        return left

    def or_(self) -> object:
        left = self.and_()
        while self.peek() == "OR":
            self.take()
            right = self.and_()
            left = self.truth(left) or self.truth(right)
        return left

    def and_(self) -> object:
        left = self.not_()
        while self.peek() == "AND":
            self.take()
            right = self.not_()
            left = self.truth(left) and self.truth(right)
        return left

    def not_(self) -> object:
        if self.peek() == "NOT":
            self.take()
            return not self.truth(self.not_())
        return self.comparison()

    def comparison(self) -> object:
        left = self.concat()
        if self.peek() in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            right = self.concat()
            if isinstance(left, str) or isinstance(right, str):
                a, b = ("" if left is None else str(left)), ("" if right is None else str(right))
            else:
                a, b = (0 if left is None else float(left)), (0 if right is None else float(right))
            return {
                "=": a == b,
                "<>": a != b,
                "<": a < b,
                ">": a > b,
                "<=": a <= b,
                ">=": a >= b,
            }[op]
        return left

    def concat(self) -> object:
        left = self.additive()
        while self.peek() == "&":
            self.take()
            right = self.additive()
            left = ("" if left is None else str(left)) + ("" if right is None else str(right))
        return left

    def additive(self) -> object:
        left = self.primary()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = self.primary()
            a, b = float(left or 0), float(right or 0)
            left = a + b if op == "+" else a - b
        return left

    def primary(self) -> object:
        if self.pos >= len(self.tokens):
            raise ValueError("#If expression ends too early")
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "num":
            return float(text)
        if kind == "op" and text == "(":
            inner = self.xor()
            if self.take()[1] != ")":
                raise ValueError("#If expression: ')' expected")
            return inner
        if kind == "op" and text == "-":
            return -float(self.primary() or 0)
        if kind == "name":
            upper = text.upper()
            if upper == "TRUE":
                return True
            if upper == "FALSE":
                return False
            return self.constants.get(upper)
        raise ValueError(f"#If expression: unexpected {text!r}")


def _strip_comment(text: str) -> str:
    """Text before a ``'`` comment that is not inside a string literal."""
    in_string = False
    for i, ch in enumerate(text):
        if ch == '"':
            in_string = not in_string
        elif ch == "'" and not in_string:
            return text[:i]
    return text


_DIRECTIVE = re.compile(
    r"^\s*#\s*(?P<kw>Const|If|ElseIf|Else|End\s*If)\b(?P<rest>.*)$", re.IGNORECASE
)


def resolve_conditional_compilation(source: str, predefined: dict[str, object]) -> str:
    """The source as the compiler sees it in one host ([MS-VBAL] 3.4): inactive lines and
    directive lines become empty lines (line numbers are kept). Raises ``ValueError`` for an
    unbalanced ``#If`` or an expression it cannot read."""
    constants: dict[str, object] = dict(predefined)
    # stack of (branch active, some branch already taken, parent active)
    stack: list[list[bool]] = []
    active = True
    out: list[str] = []
    for number, line in enumerate(source.splitlines(), 1):
        match = _DIRECTIVE.match(line)
        if not match:
            out.append(line if active else "")
            continue
        out.append("")
        kw = re.sub(r"\s+", " ", match.group("kw")).upper()
        rest = _strip_comment(match.group("rest")).strip()
        where = f"line {number}"
        if kw == "CONST":
            if active:
                name, eq, expr = rest.partition("=")
                if not eq:
                    raise ValueError(f"{where}: #Const without '='")
                constants[name.strip()] = _CcExpression(expr, constants).value()
        elif kw == "IF":
            cond = _if_condition(rest, where)
            taken = active and _CcExpression.truth(_CcExpression(cond, constants).value())
            stack.append([taken, taken, active])
            active = taken
        elif kw == "ELSEIF":
            if not stack:
                raise ValueError(f"{where}: #ElseIf without #If")
            frame = stack[-1]
            cond = _if_condition(rest, where)
            taken = (
                frame[2]
                and not frame[1]
                and _CcExpression.truth(_CcExpression(cond, constants).value())
            )
            frame[0] = taken
            frame[1] = frame[1] or taken
            active = taken
        elif kw == "ELSE":
            if not stack:
                raise ValueError(f"{where}: #Else without #If")
            frame = stack[-1]
            frame[0] = frame[2] and not frame[1]
            frame[1] = True
            active = frame[0]
        else:  # END IF
            if not stack:
                raise ValueError(f"{where}: #End If without #If")
            active = stack.pop()[2]
    if stack:
        raise ValueError(f"{len(stack)} #If block(s) not closed by #End If")
    return "\r\n".join(out) + "\r\n"


def _if_condition(rest: str, where: str) -> str:
    match = re.match(r"^(.*)\bThen\s*$", rest, re.IGNORECASE)
    if not match:
        raise ValueError(f"{where}: #If/#ElseIf without Then")
    return match.group(1)


# --- MS-VBAL syntax (antlr4-vba) -------------------------------------------------------------
#: The export form's class header ([MS-VBAL] 4.2: "VERSION ... BEGIN ... END" is not part of
#: the module body); antlr4-vba's grammar takes class modules in that form.
CLASS_FILE_HEADER = "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"


def vbal_text(source: str, module_type: int) -> str:
    """The module as [MS-VBAL] 4.2 presents it: the header keeps only the language's own
    attributes; class-like modules get the export form's class header."""
    lines = source.splitlines()
    n_header = 0
    while n_header < len(lines) and _ATTRIBUTE.match(lines[n_header]):
        n_header += 1
    header = [
        line
        for line in lines[:n_header]
        if _ATTRIBUTE.match(line).group(1).upper() in VBAL_HEADER_ATTRIBUTES
    ]
    # dropped attributes become empty lines after the header: line numbers stay the same
    text = "\r\n".join(header + [""] * (n_header - len(header)) + lines[n_header:]) + "\r\n"
    return (CLASS_FILE_HEADER + text) if module_type == MODULETYPE_DOC_CLASS_DESIGNER else text


def vbal_syntax_errors(text: str, module_type: int) -> list[str]:
    """Syntax errors of ``text`` under antlr4-vba's MS-VBAL grammar (empty when it parses as
    a procedural module for 0x0021 / a class module for 0x0022).

    ANTLR's two-stage strategy: a fast SLL parse that stops at the first error; an SLL
    success is a correct parse, an SLL failure may be spurious, so the text is parsed again
    in full LL mode, whose errors are the real ones."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.atn.PredictionMode import PredictionMode
    from antlr4.error.ErrorListener import ErrorListener
    from antlr4.error.Errors import ParseCancellationException
    from antlr4.error.ErrorStrategy import BailErrorStrategy
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    class Collect(ErrorListener):
        def __init__(self) -> None:
            self.errors: list[str] = []

        def syntaxError(self, recognizer, offending, line, column, msg, e):  # noqa: N802
            self.errors.append(f"line {line}:{column} {msg}")

    def parser(listener: Collect) -> vbaParser:
        lexer = vbaLexer(InputStream(text))
        lexer.removeErrorListeners()
        lexer.addErrorListener(listener)
        result = vbaParser(CommonTokenStream(lexer))
        result.removeErrorListeners()
        result.addErrorListener(listener)
        return result

    listener = Collect()
    fast = parser(listener)
    fast._interp.predictionMode = PredictionMode.SLL
    fast._errHandler = BailErrorStrategy()
    try:
        tree = fast.startRule()
    except ParseCancellationException:
        tree = None
    if tree is None or listener.errors:
        listener = Collect()
        tree = parser(listener).startRule()
        if listener.errors:
            return listener.errors
    module = tree.module()
    if module_type == MODULETYPE_PROCEDURAL and module.proceduralModule() is None:
        return ["MODULETYPE 0x0021 but the text is not a procedural module"]
    if module_type == MODULETYPE_DOC_CLASS_DESIGNER and module.classModule() is None:
        return ["MODULETYPE 0x0022 but the text is not a class module"]
    return []


#: A procedure starts a new part of the module body ([MS-VBAL] 5.3: procedural-module-code).
_PROCEDURE_START = re.compile(
    r"^\s*((Public|Private|Friend)\s+)?(Static\s+)?(Sub|Function|Property\s+(Get|Let|Set))\s+\w",
    re.IGNORECASE,
)
_PARSED: dict[tuple[str, int], tuple[str, ...]] = {}


def _parse_cached(text: str, module_type: int) -> tuple[str, ...]:
    key = (text, module_type)
    if key not in _PARSED:
        _PARSED[key] = tuple(vbal_syntax_errors(text, module_type))
    return _PARSED[key]


def module_syntax_errors(text: str, module_type: int) -> list[str]:
    """Syntax errors of a whole module (``text`` as :func:`vbal_text` gives it).

    The Python ANTLR runtime needs about a second per dozen statements, so the module is
    parsed in parts: the header and declarations section as the module (procedural or
    class, per ``module_type``), then each procedure (from its ``Sub`` / ``Function`` /
    ``Property`` line up to the next one) as the body of a procedural module. Every line
    is parsed exactly once, a part that ends without its ``End Sub`` or holds stray code
    after it fails as it would in the whole module, and identical parts (the same
    procedure in another conditional-compilation branch or another file) are parsed once.
    Error lines are those of ``text``."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _PROCEDURE_START.match(line)]
    bounds = list(zip([0, *starts], [*starts, len(lines)], strict=True))
    errors: list[str] = []
    for index, (lo, hi) in enumerate(bounds):
        if index == 0:
            part, kind, prefix = "\r\n".join(lines[lo:hi]) + "\r\n", module_type, 0
        else:
            header = 'Attribute VB_Name = "Part"\r\n'
            part = header + "\r\n".join(lines[lo:hi]) + "\r\n"
            kind, prefix = MODULETYPE_PROCEDURAL, 1
        errors += [_shift(e, prefix - lo) for e in _parse_cached(part, kind)]
    return errors


def check_vba_syntax(project: VbaProject, branches=tuple(BRANCHES)) -> list[str]:
    """(f) every module parses under MS-VBAL in each host's conditional-compilation branch."""
    problems = []
    types = {m.name: m.module_type for m in project.dir.modules}
    for name, source in project.sources.items():
        module_type = types.get(name) or MODULETYPE_PROCEDURAL
        # the class header added by vbal_text shifts line numbers: report source lines
        shift = CLASS_FILE_HEADER.count("\n") if module_type != MODULETYPE_PROCEDURAL else 0
        for branch in branches:
            try:
                resolved = resolve_conditional_compilation(source, BRANCHES[branch])
            except ValueError as exc:
                problems.append(f"module {name!r} ({branch}): {exc}")
                continue
            errors = module_syntax_errors(vbal_text(resolved, module_type), module_type)
            for error in errors[:3]:
                problems.append(f"module {name!r} ({branch}): {_shift(error, shift)}")
    return problems


def _shift(error: str, shift: int) -> str:
    """``error`` ("line N:col msg") with N - shift."""
    match = re.match(r"line (\d+):", error)
    if not match or not shift:
        return error
    return f"line {int(match.group(1)) - shift}:" + error[match.end() :]


# --- the package ---------------------------------------------------------------------------
def _rels(parts: dict[str, bytes], name: str) -> list[ElementTree.Element]:
    if name not in parts:
        return []
    return list(ElementTree.fromstring(parts[name]).iter(f"{{{PKG_REL_NS}}}Relationship"))


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    pieces = [p for p in base_dir.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            pieces.pop()
        elif piece not in ("", "."):
            pieces.append(piece)
    return "/".join(pieces)


def code_names(parts: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Code names of the workbook and its worksheets (ECMA-376 18.2.28, 18.3.1.82), and
    problems (a part without one: Excel would invent a name no module has)."""
    problems: list[str] = []
    workbook_part = next(
        (
            _resolve("", r.get("Target", ""))
            for r in _rels(parts, "_rels/.rels")
            if r.get("Type") == OFFICE_DOC_REL
        ),
        "xl/workbook.xml",
    )
    workbook = ElementTree.fromstring(parts[workbook_part])
    names: list[str] = []
    pr = workbook.find(f"{{{SHEET_NS}}}workbookPr")
    if pr is None or not pr.get("codeName"):
        problems.append(f"{workbook_part}: workbookPr has no codeName")
    else:
        names.append(pr.get("codeName"))
    folder = workbook_part.rpartition("/")[0]
    rels_name = f"{folder}/_rels/{workbook_part.rpartition('/')[2]}.rels"
    for rel in _rels(parts, rels_name):
        if not rel.get("Type", "").endswith("/worksheet"):
            continue
        part = _resolve(folder, rel.get("Target", ""))
        sheet = ElementTree.fromstring(parts[part])
        sheet_pr = sheet.find(f"{{{SHEET_NS}}}sheetPr")
        if sheet_pr is None or not sheet_pr.get("codeName"):
            problems.append(f"{part}: sheetPr has no codeName")
        else:
            names.append(sheet_pr.get("codeName"))
    return names, problems


def vba_project_part(parts: dict[str, bytes]) -> str | None:
    for rels_name in (n for n in parts if n.endswith(".rels") and "/_rels/" in f"/{n}"):
        folder = rels_name.rpartition("_rels/")[0].rstrip("/")
        for rel in _rels(parts, rels_name):
            if rel.get("Type") == VBA_PROJECT_REL:
                return _resolve(folder, rel.get("Target", ""))
    return None


def check_ribbon(parts: dict[str, bytes], expect_ribbon: bool) -> tuple[list[str], list[str]]:
    """(e) The ribbon part is reached through the 2007 extensibility relationship and uses
    the 2009/07 customUI namespace. Returns (problems, onAction callbacks)."""
    problems: list[str] = []
    ribbon_rels = [
        r
        for r in _rels(parts, "_rels/.rels")
        if "/ui/" in r.get("Type", "") or "customUI" in r.get("Target", "")
    ]
    if not ribbon_rels:
        if expect_ribbon:
            problems.append("_rels/.rels: no ribbon (customUI) relationship")
        return problems, []
    callbacks: list[str] = []
    for rel in ribbon_rels:
        if rel.get("Type") != RIBBON_REL_2007:
            problems.append(
                f"_rels/.rels: ribbon relationship type is {rel.get('Type')!r}, "
                f"not {RIBBON_REL_2007!r}"
            )
        part = _resolve("", rel.get("Target", ""))
        if part not in parts:
            problems.append(f"_rels/.rels: ribbon part {part} is missing")
            continue
        root = ElementTree.fromstring(parts[part])
        if root.tag != f"{{{CUSTOMUI_NS_2009}}}customUI":
            problems.append(
                f"{part}: root element is {root.tag!r}, not customUI in {CUSTOMUI_NS_2009}"
            )
        callbacks += ribbon_callbacks(parts[part])
    return problems, callbacks


def check_package(path: str | Path, expect_ribbon: bool = False, syntax: bool = True) -> list[str]:
    """Every problem found in the ``.xlam`` / ``.xlsm`` at ``path`` (empty list: sound)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    problems: list[str] = []
    vba_part = vba_project_part(parts)
    if vba_part is None or vba_part not in parts:
        return ["no vbaProject.bin reached through a vbaProject relationship"]
    try:
        project = read_vba_project(parts[vba_part])
    except (ValueError, OSError) as exc:
        return [f"{vba_part}: {exc}"]
    problems += project.problems
    problems += check_references(project)
    names, name_problems = code_names(parts)
    problems += name_problems
    problems += check_module_types(project, names)
    ribbon_problems, callbacks = check_ribbon(parts, expect_ribbon)
    problems += ribbon_problems
    problems += check_callbacks(project, callbacks)
    if syntax:
        problems += check_vba_syntax(project)
    return problems
