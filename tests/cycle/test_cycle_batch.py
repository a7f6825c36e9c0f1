"""salesplan batch: the company kit and one kit per scope in worker processes, a
manifest, and nothing rewritten when the inputs are unchanged."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from salesplan_xl.audit import KitBook, audit_kit
from salesplan_xl.cli import app
from salesplan_xl.cycle.batch import MANIFEST, build_batch
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.identity import read_identity


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """plan.toml and a CSV data folder of a 60-customer demo company."""
    from salesplan_xl.config import default_plan_text

    root = tmp_path_factory.mktemp("batch")
    (root / "plan.toml").write_text(default_plan_text(), encoding="utf-8")
    folder = root / "data"
    folder.mkdir()
    for name, frame in demo_dataset(customers=60).tables().items():
        frame.drop(columns=[c for c in ("year", "month_num") if name == "sales"]).to_csv(
            folder / f"{name}.csv", index=False, date_format="%Y-%m-%d"
        )
    return root / "plan.toml", folder


def test_batch_builds_every_department_in_worker_processes(project, tmp_path):
    plan, data = project
    seen = []
    report = build_batch(
        plan, data, tmp_path, by="department", jobs=2, progress=lambda s, d, t: seen.append((s, d, t))
    )
    scopes = [k.scope for k in report.kits]
    assert scopes[0] == "company" and len(scopes) == 5
    assert all(s.startswith("department:") for s in scopes[1:])
    assert report.built == 5 and [d for _, d, _ in seen] == [1, 2, 3, 4, 5]
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert "plan" in manifest["inputs"] and "data/sales.csv" in manifest["inputs"]
    for k in report.kits:
        assert manifest["outputs"][k.scope]["file"] == k.path.name
        assert read_identity(k.path)["salesplan.scope"] == k.scope
        assert audit_kit(k.path).clean
    # the department kits show the company plan: their targets add up to the company's
    totals = []
    for k in report.kits:
        with KitBook(k.path) as book:
            area = book.names["t_P4_target_total"]
            totals.append(book.value(area.sheet, area.r1, area.c1))
    assert round(sum(totals[1:]), 2) == round(totals[0], 2)


@pytest.mark.slow
def test_unchanged_inputs_rewrite_nothing_and_a_changed_input_rebuilds(project, tmp_path):
    plan, data = project
    first = build_batch(plan, data, tmp_path, by="region", jobs=1)
    stamps = {k.path: k.path.stat().st_mtime_ns for k in first.kits}
    again = build_batch(plan, data, tmp_path, by="region", jobs=1)
    assert again.built == 0 and again.kept == len(first.kits)
    assert {k.path: k.path.stat().st_mtime_ns for k in again.kits} == stamps
    text = plan.read_text(encoding="utf-8")
    changed = tmp_path / "p2"
    changed.mkdir()
    (changed / "plan.toml").write_text(text.replace("growth = 0.15", "growth = 0.2"), "utf-8")
    other = build_batch(changed / "plan.toml", data, tmp_path, by="region", jobs=1)
    assert other.built == len(first.kits)


def test_batch_command(project, tmp_path):
    plan, data = project
    args = ["batch", "--plan", str(plan), "--data", str(data), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--by", "rep", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "built" in result.output and "manifest" in result.output
    bad = CliRunner().invoke(app, [*args, "--by", "city"])
    assert bad.exit_code == 2
