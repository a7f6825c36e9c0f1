"""Build ``vbaProject.bin`` from VBA text, on any OS ([MS-OVBA] 2.2, 2.3).

The project is a compound file ([MS-CFB]) laid out as::

    PROJECT          text: modules, name, protection, workspace ([MS-OVBA] 2.3.1)
    PROJECTwm        module names in code page and UTF-16 ([MS-OVBA] 2.3.3)
    VBA/
      _VBA_PROJECT   7-byte header, version 0xFFFF: no performance cache ([MS-OVBA] 2.3.4.1)
      dir            compressed project information and module list ([MS-OVBA] 2.3.4.2)
      <module>       compressed source text of each module ([MS-OVBA] 2.3.4.3)

With no performance cache, Excel compiles the project from the source text
when it opens the file. See docs/addin-format.md for the details and for what
only real Excel can confirm.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from pathlib import Path

from salesplan_xl.addin.cfb import write_compound_file
from salesplan_xl.addin.ovba_compression import compress, has_raw_chunk
from salesplan_xl.addin.vba_dir import DEFAULT_REFERENCES, Reference, build_dir_stream
from salesplan_xl.addin.vba_project_text import build_project_stream, build_projectwm_stream
from salesplan_xl.addin.vba_source import VbaModule, check_identifier

__all__ = [
    "VBA_PROJECT_HEADER",
    "build_vba_project",
    "write_vba_project",
    "workbook_document_modules",
    "project_streams",
]

#: ``_VBA_PROJECT`` ([MS-OVBA] 2.3.4.1): Reserved1 0x61CC, Version 0xFFFF (no
#: performance cache: Excel recompiles from source), Reserved2 0x00 and
#: Reserved3 (ignored by readers) 0x0001 - byte for byte what the add-ins
#: shipped with xlwings 0.37.8 carry, which Excel loads.
VBA_PROJECT_HEADER = bytes.fromhex("CC61FFFF000100")


def workbook_document_modules(sheet_code_names: Sequence[str] = ("Sheet1",)) -> list[VbaModule]:
    """Empty document modules for ``ThisWorkbook`` and each worksheet code name.

    XlsxWriter's ``set_vba_name()`` gives the workbook the code name
    ``ThisWorkbook`` and sheets ``Sheet1``, ``Sheet2``, ...; the project's
    document modules must carry the same names.
    """
    names = ["ThisWorkbook", *sheet_code_names]
    return [VbaModule(name, "", "document") for name in names]


def code_page_encoding(code_page: int) -> str:
    """Python codec of a Windows code page that stores ASCII unchanged."""
    name = f"cp{code_page}"
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(f"code page {code_page} has no Python codec") from None
    sample = bytes(range(0x20, 0x7F))
    if sample.decode(name, errors="replace") != sample.decode("ascii"):
        raise ValueError(f"code page {code_page} does not store ASCII unchanged")
    return name


def check_modules(modules: Sequence[VbaModule]) -> None:
    """At least one module; names unique ignoring case (VBA and CFB both fold case)."""
    if not modules:
        raise ValueError("a VBA project needs at least one module")
    seen: dict[str, str] = {}
    for module in modules:
        key = module.name.upper()
        if key in seen:
            raise ValueError(
                f"module names {seen[key]!r} and {module.name!r} clash (case-insensitive)"
            )
        seen[key] = module.name


def module_stream(module: VbaModule, encoding: str, allow_raw_chunks: bool) -> bytes:
    """The compressed module stream: source text at offset 0 ([MS-OVBA] 2.3.4.3)."""
    container = compress(module.stored_text().encode(encoding))
    if has_raw_chunk(container) and not allow_raw_chunks:
        raise ValueError(
            f"module {module.name!r}: some 4096-byte stretch of its text does not compress, so "
            "it would be stored as a raw chunk, which Excel is reported to reject; VBA source "
            "never needs one (random data embedded in the code?)"
        )
    return container


def project_streams(
    modules: Sequence[VbaModule],
    project_name: str = "SalesPlan",
    code_page: int = 1252,
    references: Sequence[Reference] = DEFAULT_REFERENCES,
    allow_raw_chunks: bool = False,
) -> dict[str, object]:
    """The project as a tree for :func:`write_compound_file`: streams and the VBA storage."""
    check_identifier(project_name, "project name")
    check_modules(modules)
    encoding = code_page_encoding(code_page)
    dir_stream = build_dir_stream(project_name, modules, code_page, encoding, references)
    vba: dict[str, bytes] = {"_VBA_PROJECT": VBA_PROJECT_HEADER, "dir": compress(dir_stream)}
    for module in modules:
        vba[module.name] = module_stream(module, encoding, allow_raw_chunks)
    return {
        "PROJECT": build_project_stream(project_name, modules, encoding),
        "PROJECTwm": build_projectwm_stream(modules, encoding),
        "VBA": vba,
    }


def build_vba_project(
    modules: Sequence[VbaModule],
    project_name: str = "SalesPlan",
    code_page: int = 1252,
    references: Sequence[Reference] = DEFAULT_REFERENCES,
    allow_raw_chunks: bool = False,
) -> bytes:
    """The bytes of a ``vbaProject.bin`` holding ``modules``.

    ``code_page`` is the project code page (1252 Western, 936 Simplified
    Chinese, ...); module text is ASCII, stored identically in either.
    ``references``: type libraries the project references (default: stdole
    and the Office library). The same arguments always give the same bytes.
    Raises ``ValueError`` for bad names, duplicate modules, an unknown code
    page or (unless ``allow_raw_chunks``) a module whose text does not compress.
    """
    tree = project_streams(modules, project_name, code_page, references, allow_raw_chunks)
    return write_compound_file(tree)


def write_vba_project(
    modules: Sequence[VbaModule],
    path: str | Path,
    project_name: str = "SalesPlan",
    code_page: int = 1252,
) -> Path:
    """Build the project and write it to ``path``; returns the path."""
    path = Path(path)
    path.write_bytes(build_vba_project(modules, project_name, code_page))
    return path
