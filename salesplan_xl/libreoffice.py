"""LibreOffice headless as an independent spreadsheet engine (DESIGN.md item 8).

LibreOffice keeps the cached values of an .xlsx unless told to recalculate; a throw-away
profile whose registrymodifications.xcu sets ``OOXMLRecalcMode`` to 0 ("always") makes
``--convert-to`` recalculate every formula on load::

    recalculated = recalculate(Path("kit.xlsx"), Path("out/"))   # LibreOffice's values
    pdf = convert(Path("kit.xlsx"), Path("out/"), "pdf")

Used by the tests (recalculated == cached) and the screenshot script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """Path of the soffice binary, or None where LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(root: Path) -> str:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return root.resolve().as_uri()


def convert(src: Path, outdir: Path, to: str = "xlsx", timeout: int = 240) -> Path:
    """Open ``src`` in LibreOffice (recalculating every formula) and save it as ``to``
    (xlsx, pdf, ods, ...) in ``outdir``; returns the new file."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        cmd = [
            binary,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={_profile(Path(prof))}",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(src),
        ]
        env = {**os.environ, "HOME": prof}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    target = outdir / (Path(src).stem + "." + to.split(":")[0])
    if proc.returncode != 0 or not target.exists():
        raise RuntimeError(
            f"LibreOffice failed on {src}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return target


def recalculate(src: Path, outdir: Path) -> Path:
    """LibreOffice's recalculated copy of an .xlsx (read it with calamine)."""
    return convert(src, outdir, "xlsx")
