"""The wheel holds every package, the sheet specs and the macros."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "salesplan_xl").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.slow
def test_wheel_contains_templates_and_macros(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {out.stderr[-300:]}")
    wheel = next(tmp_path.glob("salesplan_xl-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    specs = {p.name for p in (ROOT / "workbook_templates").glob("*.yaml")}
    packed = {Path(n).name for n in names if n.startswith("salesplan_xl/workbook_templates/")}
    assert specs and specs <= packed
    assert "salesplan_xl/templates/plan.toml" in names
    assert "salesplan_xl/workbook_templates/checks/identities.yaml" in names
    assert "salesplan_xl/templates/content.yaml" in names  # the plan documents' default words
    macros = {p.name for p in (ROOT / "macros").iterdir() if p.is_file()}
    macros |= {f"generated/{p.name}" for p in (ROOT / "macros" / "generated").glob("*.bas")}
    assert macros and macros <= {n.removeprefix("salesplan_xl/macros/") for n in names}
