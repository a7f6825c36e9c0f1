"""Kit identity: every kit says what it is, so collect and audit never rely on file
names (which users change).

The identity is written into the workbook's custom document properties
(``docProps/custom.xml``, kept by Excel, WPS and LibreOffice when they save): plan year,
company, scope, language, formula mode, the generator's version and a hash of the inputs
(the plan and every data table), the same for the same inputs.

    >>> from salesplan_xl.config import demo_plan
    >>> from salesplan_xl.data.demo import demo_dataset
    >>> ident = kit_identity(demo_plan(), demo_dataset(customers=10), "company", "zh", "native")
    >>> ident["salesplan.year"], ident["salesplan.scope"], len(ident["salesplan.inputs"])
    ('2026', 'company', 64)
    >>> ident == kit_identity(demo_plan(), demo_dataset(customers=10), "company", "zh", "native")
    True
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from . import __version__

PREFIX = "salesplan."
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def inputs_hash(plan, data) -> str:
    """SHA-256 over the plan (every setting) and every data table (values and columns)."""
    h = hashlib.sha256(repr(plan).encode("utf-8"))
    for key, frame in data.tables().items():
        h.update(f"\n{key}:{','.join(map(str, frame.columns))}\n".encode())
        if len(frame):
            h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def kit_identity(plan, data, scope, lang: str, formulas: str) -> dict[str, str]:
    """The identity properties of one kit (all text)."""
    scope_text = str(scope) if isinstance(scope, str) else _scope_text(scope)
    return {
        PREFIX + "year": str(plan.year),
        PREFIX + "company": str(plan.company),
        PREFIX + "scope": scope_text,
        PREFIX + "lang": lang,
        PREFIX + "formulas": formulas,
        PREFIX + "generator": f"salesplan_xl {__version__}",
        PREFIX + "inputs": inputs_hash(plan, data),
    }


def _scope_text(scope) -> str:
    return "company" if scope.kind == "company" else f"{scope.kind}:{scope.value}"


def read_identity(path: str | Path) -> dict[str, str]:
    """The identity properties of a saved kit ({} when it has none)."""
    with zipfile.ZipFile(path) as z:
        if "docProps/custom.xml" not in z.namelist():
            return {}
        root = ET.fromstring(z.read("docProps/custom.xml"))
    out = {}
    for prop in root.iterfind(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(PREFIX) and len(prop):
            out[name] = prop[0].text or ""
    return out
