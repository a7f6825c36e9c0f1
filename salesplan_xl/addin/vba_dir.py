"""The ``VBA/dir`` stream of a VBA project ([MS-OVBA] 2.3.4.2), uncompressed.

The stream is a sequence of records, each a 16-bit Id, a 32-bit size and
data, in three groups: PROJECTINFORMATION ([MS-OVBA] 2.3.4.2.1),
PROJECTREFERENCES ([MS-OVBA] 2.3.4.2.2) and PROJECTMODULES
([MS-OVBA] 2.3.4.2.3), then a terminator. The caller compresses it
([MS-OVBA] 2.4.1).

Choices (see docs/addin-format.md): SysKind Win32 (0x00000001), as most
files in the wild carry; VBA recompiles on 64-bit Office as well. No
PROJECTCOMPATVERSION record (it is optional). LCID and LCIDINVOKE 0x409 as
the spec requires. Module offsets 0: there is no performance cache.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from salesplan_xl.addin.vba_source import VbaModule

__all__ = ["Reference", "STDOLE", "OFFICE", "DEFAULT_REFERENCES", "build_dir_stream"]

SYSKIND_WIN32 = 0x00000001
LCID_EN_US = 0x00000409
#: PROJECTVERSION major/minor: any value; Excel rewrites it when it saves.
VERSION_MAJOR = 1
VERSION_MINOR = 0
#: Ignored cookies must be written as 0xFFFF ([MS-OVBA] 2.3.4.2.3.1, 2.3.4.2.3.2.7).
COOKIE = 0xFFFF


@dataclass(frozen=True)
class Reference:
    """A REFERENCEREGISTERED to an Automation type library ([MS-OVBA] 2.3.4.2.2.5)."""

    name: str
    libid: str


#: OLE Automation (stdole), referenced by every VBA project.
STDOLE = Reference(
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
    "#OLE Automation",
)
#: Microsoft Office Object Library: needed for IRibbonControl in ribbon callbacks.
#: VBA resolves a registered reference by GUID and version; the path is a hint.
OFFICE = Reference(
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
    r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)
DEFAULT_REFERENCES = (STDOLE, OFFICE)


def record(record_id: int, data: bytes) -> bytes:
    """A record: Id (2 bytes), size (4 bytes), data."""
    return struct.pack("<HI", record_id, len(data)) + data


def u16(value: int) -> bytes:
    """Little-endian unsigned 16-bit integer."""
    return struct.pack("<H", value)


def u32(value: int) -> bytes:
    """Little-endian unsigned 32-bit integer."""
    return struct.pack("<I", value)


def utf16(text: str) -> bytes:
    """UTF-16LE without terminator, as the *Unicode records carry text."""
    return text.encode("utf-16-le")


def text_pair(first_id: int, second_id: int, text: str, encoding: str) -> bytes:
    """A code-page string record followed by its UTF-16 twin (e.g. DOCSTRING/0x0040)."""
    return record(first_id, text.encode(encoding)) + record(second_id, utf16(text))


def project_information(name: str, code_page: int, encoding: str) -> bytes:
    """PROJECTINFORMATION ([MS-OVBA] 2.3.4.2.1)."""
    return b"".join(
        [
            record(0x0001, u32(SYSKIND_WIN32)),  # PROJECTSYSKIND 2.3.4.2.1.1
            record(0x0002, u32(LCID_EN_US)),  # PROJECTLCID 2.3.4.2.1.3
            record(0x0014, u32(LCID_EN_US)),  # PROJECTLCIDINVOKE 2.3.4.2.1.4
            record(0x0003, u16(code_page)),  # PROJECTCODEPAGE 2.3.4.2.1.5
            record(0x0004, name.encode(encoding)),  # PROJECTNAME 2.3.4.2.1.6
            text_pair(0x0005, 0x0040, "", encoding),  # PROJECTDOCSTRING 2.3.4.2.1.7
            text_pair(0x0006, 0x003D, "", encoding),  # PROJECTHELPFILEPATH 2.3.4.2.1.8
            record(0x0007, u32(0)),  # PROJECTHELPCONTEXT 2.3.4.2.1.9
            record(0x0008, u32(0)),  # PROJECTLIBFLAGS 2.3.4.2.1.10
            # PROJECTVERSION 2.3.4.2.1.11: its "size" field is Reserved = 4, yet 6 bytes follow.
            struct.pack("<HIIH", 0x0009, 4, VERSION_MAJOR, VERSION_MINOR),
            text_pair(0x000C, 0x003C, "", encoding),  # PROJECTCONSTANTS 2.3.4.2.1.12
        ]
    )


def reference_record(reference: Reference, encoding: str) -> bytes:
    """REFERENCENAME + REFERENCEREGISTERED ([MS-OVBA] 2.3.4.2.2.2, 2.3.4.2.2.5)."""
    libid = reference.libid.encode(encoding)
    registered = u32(len(libid)) + libid + u32(0) + u16(0)  # Reserved1, Reserved2
    return text_pair(0x0016, 0x003E, reference.name, encoding) + record(0x000D, registered)


def module_record(module: VbaModule, encoding: str) -> bytes:
    """MODULE ([MS-OVBA] 2.3.4.2.3.2); the stream name is the module name."""
    name = module.name
    return b"".join(
        [
            record(0x0019, name.encode(encoding)),  # MODULENAME 2.3.4.2.3.2.1
            record(0x0047, utf16(name)),  # MODULENAMEUNICODE 2.3.4.2.3.2.2
            text_pair(0x001A, 0x0032, name, encoding),  # MODULESTREAMNAME 2.3.4.2.3.2.3
            text_pair(0x001C, 0x0048, "", encoding),  # MODULEDOCSTRING 2.3.4.2.3.2.4
            record(0x0031, u32(0)),  # MODULEOFFSET 2.3.4.2.3.2.5: source at byte 0
            record(0x001E, u32(0)),  # MODULEHELPCONTEXT 2.3.4.2.3.2.6
            record(0x002C, u16(COOKIE)),  # MODULECOOKIE 2.3.4.2.3.2.7
            record(module.module_type_record, b""),  # MODULETYPE 2.3.4.2.3.2.8
            record(0x002B, b""),  # Terminator, Reserved = 0
        ]
    )


def project_modules(modules: Sequence[VbaModule], encoding: str) -> bytes:
    """PROJECTMODULES with PROJECTCOOKIE ([MS-OVBA] 2.3.4.2.3, 2.3.4.2.3.1)."""
    head = record(0x000F, u16(len(modules))) + record(0x0013, u16(COOKIE))
    return head + b"".join(module_record(m, encoding) for m in modules)


def build_dir_stream(
    project_name: str,
    modules: Sequence[VbaModule],
    code_page: int,
    encoding: str,
    references: Sequence[Reference] = DEFAULT_REFERENCES,
) -> bytes:
    """The decompressed ``dir`` stream ([MS-OVBA] 2.3.4.2)."""
    return b"".join(
        [
            project_information(project_name, code_page, encoding),
            b"".join(reference_record(r, encoding) for r in references),
            project_modules(modules, encoding),
            record(0x0010, b""),  # dir stream Terminator, Reserved = 0
        ]
    )
