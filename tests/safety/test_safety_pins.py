"""Every dependency is pinned to the major version the tests run on."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

PROJECT = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
)["project"]
REQS = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]


def _tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


@pytest.mark.parametrize("req", REQS)
def test_pinned_with_an_upper_bound_that_the_installed_version_meets(req):
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)(==|>=)([\d.]+)(?:,<([\d.]+))?", req.replace(" ", ""))
    assert m, f"{req}: expected NAME==X or NAME>=X,<Y"
    name, op, low, high = m.groups()
    installed = _tuple(version(name))
    if op == "==":
        assert installed == _tuple(low)
        return
    assert high, f"{req} has no upper bound"
    assert _tuple(low) <= installed < _tuple(high), f"{name} {version(name)} outside {req}"


def test_ci_runs_the_readme_test_command_word_for_word_then_the_slow_tests():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = next(
        line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" in line
    )
    assert command.endswith('python -m pytest -q -m "not slow"')
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci
    assert ci.index(command) < ci.index("python -m pytest -q -m slow || status=$?")
