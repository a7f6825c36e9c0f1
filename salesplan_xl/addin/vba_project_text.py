"""The ``PROJECT`` and ``PROJECTwm`` streams of a VBA project ([MS-OVBA] 2.3.1, 2.3.3).

``PROJECT`` is text in the project code page, CRLF line ends: the project
GUID, one line per module, the project name, the protection properties and
the ``[Host Extender Info]`` and ``[Workspace]`` sections. The protection
properties CMG, DPB and GC are obfuscated with the Data Encryption of
[MS-OVBA] 2.4.3; the values written here mean "not protected, no password,
visible". The encryption seeds are fixed so output is reproducible.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from salesplan_xl.addin.vba_source import VbaModule

__all__ = ["build_project_stream", "build_projectwm_stream", "encrypt", "decrypt", "project_guid"]

#: Namespace for the project GUID: the same project name gives the same ID.
GUID_NAMESPACE = uuid.UUID("6f1d6a3e-5b1f-4d5e-9a7c-5a1e5a1e5a1e")
#: VBE host extender reference ([MS-OVBA] 2.3.1.18), as Excel writes it.
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
#: ProjectVersionCompat32 ([MS-OVBA] 2.3.1.14): the value every Office since 97 writes.
VERSION_COMPATIBLE32 = "393222000"
ENCRYPTION_VERSION = 2  # [MS-OVBA] 2.4.3.1: Version MUST be 2
#: Unprotected values ([MS-OVBA] 2.3.1.15-17): no protection bits, empty
#: password (one 0x00 byte), project visible (0xFF).
PROTECTION_STATE = b"\x00\x00\x00\x00"
NO_PASSWORD = b"\x00"
VISIBLE = b"\xff"
#: Fixed seeds (any byte is valid) for CMG, DPB and GC.
SEEDS = {"CMG": 0x3A, "DPB": 0x5C, "GC": 0x7E}


def project_guid(project_name: str) -> str:
    """ProjectId ([MS-OVBA] 2.3.1.2): a GUID derived from the project name, braced, uppercase."""
    return "{" + str(uuid.uuid5(GUID_NAMESPACE, project_name)).upper() + "}"


def project_key(project_id: str) -> int:
    """ProjKey: the sum of the ProjectId's bytes, modulo 256 ([MS-OVBA] 2.4.3.2)."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """Data Encryption ([MS-OVBA] 2.4.3.2); returns the hex string the PROJECT stream holds.

    Output: Seed, VersionEnc, ProjKeyEnc, ``(Seed & 6) // 2`` ignored bytes,
    the encrypted 32-bit length of ``data``, then the encrypted ``data``; each
    byte is XORed with the sum of the previous encrypted byte but one and the
    previous unencrypted byte.
    """
    key = project_key(project_id)
    version_enc = seed ^ ENCRYPTION_VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    plain_prev, enc_prev, enc_prev2 = key, key_enc, version_enc
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + len(data).to_bytes(4, "little") + data:
        byte_enc = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(byte_enc)
        enc_prev2, enc_prev, plain_prev = enc_prev, byte_enc, byte
    return out.hex().upper()


def decrypt(text: str) -> tuple[int, int, bytes]:
    """Inverse of :func:`encrypt` ([MS-OVBA] 2.4.3.3): ``(version, project key, data)``."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    plain_prev, enc_prev, enc_prev2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((enc_prev2 + plain_prev) & 0xFF)
        plain.append(byte)
        enc_prev2, enc_prev, plain_prev = enc_prev, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(plain[ignored : ignored + 4], "little")
    data = bytes(plain[ignored + 4 : ignored + 4 + length])
    return seed ^ version_enc, seed ^ key_enc, data


def module_line(module: VbaModule) -> str:
    """ProjectModule line ([MS-OVBA] 2.3.1.3-2.3.1.6)."""
    if module.kind == "document":
        return f"Document={module.name}/&H00000000"
    if module.kind == "class":
        return f"Class={module.name}"
    return f"Module={module.name}"


def build_project_stream(project_name: str, modules: Sequence[VbaModule], encoding: str) -> bytes:
    """The ``PROJECT`` stream ([MS-OVBA] 2.3.1)."""
    project_id = project_guid(project_name)
    lines = [f'ID="{project_id}"']
    lines += [module_line(m) for m in modules]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{VERSION_COMPATIBLE32}"',
        f'CMG="{encrypt(PROTECTION_STATE, project_id, SEEDS["CMG"])}"',
        f'DPB="{encrypt(NO_PASSWORD, project_id, SEEDS["DPB"])}"',
        f'GC="{encrypt(VISIBLE, project_id, SEEDS["GC"])}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    # ProjectWindowRecord ([MS-OVBA] 2.3.1.20): code window position, C = closed.
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return "".join(line + "\r\n" for line in lines).encode(encoding)


def build_projectwm_stream(modules: Sequence[VbaModule], encoding: str) -> bytes:
    """``PROJECTwm``: each module name in the code page and in UTF-16 ([MS-OVBA] 2.3.3)."""
    parts = [
        m.name.encode(encoding) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
        for m in modules
    ]
    return b"".join(parts) + b"\x00\x00"
