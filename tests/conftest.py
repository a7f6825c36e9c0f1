"""Shared fixtures: the demo kit (built once per session) and LibreOffice's recalculation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from salesplan_xl.libreoffice import soffice  # noqa: E402

REQUIRE_LO = os.environ.get("SALESPLAN_REQUIRE_LIBREOFFICE") == "1"
#: Under CI (or wherever LibreOffice is required) an absent external judge is a failure.
IN_CI = REQUIRE_LO or os.environ.get("CI", "").lower() == "true"


def need_libreoffice() -> None:
    """Skip where LibreOffice is absent, unless CI says it must be there (then fail)."""
    if soffice() is None:
        if REQUIRE_LO:
            pytest.fail(
                "LibreOffice (soffice) is required here (SALESPLAN_REQUIRE_LIBREOFFICE=1) but not installed"
            )
        pytest.skip("LibreOffice (soffice) is not installed")


def need_file(path: Path | None, what: str, how: str) -> Path:
    """``path`` if it is a file; else skip, or under CI (``CI=true`` or
    ``SALESPLAN_REQUIRE_LIBREOFFICE=1``) fail, saying ``how`` to provide it."""
    if path is not None and path.is_file():
        return path
    message = f"{what} not found ({how})"
    if IN_CI:
        pytest.fail(f"{message}; required under CI (CI=true or SALESPLAN_REQUIRE_LIBREOFFICE=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def demo_kit(tmp_path_factory) -> Path:
    from salesplan_xl.kit import build_demo_kit

    return build_demo_kit(tmp_path_factory.mktemp("demo"), customers=300)


@pytest.fixture(scope="session")
def demo_kit_recalculated(demo_kit, tmp_path_factory) -> Path:
    need_libreoffice()
    from salesplan_xl.libreoffice import recalculate

    return recalculate(demo_kit, tmp_path_factory.mktemp("lo"))
