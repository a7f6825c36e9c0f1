"""The plan documents' words: content.yaml beside plan.toml, checked with file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from salesplan_xl.cli import app
from salesplan_xl.config import default_plan_text, load_plan
from salesplan_xl.content import (
    DEFAULT_PATH,
    check_text,
    default_content,
    default_content_text,
    load_content,
)
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.errors import InputError
from salesplan_xl.kit import build_kit, init_project
from salesplan_xl.planning.tasks import task_overdue_days, task_status
from salesplan_xl.sheets.document_sources import due_date

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _texts(path: Path, prefix: str) -> str:
    wb = CalamineWorkbook.from_path(str(path))
    name = next(n for n in wb.sheet_names if n.startswith(prefix + " "))
    rows = wb.get_sheet_by_name(name).to_python()
    return "\n".join(str(v) for row in rows for v in row if v not in ("", None))


def test_shipped_defaults_are_valid_and_hold_the_standard_documents():
    assert check_text(DEFAULT_PATH.read_text(encoding="utf-8"), "content.yaml") == []
    c = default_content()
    assert [s["code"] for s in c["okr"]["key_results"]] == ["2.1", "2.2"]
    assert [len(s["items"]) for s in c["okr"]["actions"]] == [3, 3, 3]
    assert len(c["annual_plan"]["measures"]) == 10
    assert len(c["work_plan"]["months"]) == 12
    assert all(len(items) == 3 for items in c["work_plan"]["months"])
    assert len(c["tasks"]) == 25
    assert {t["owner"] for t in c["tasks"]} == {"销售经理", "销售团队"}
    assert "#" in default_content_text()  # commented for the person editing it


@pytest.mark.parametrize(
    "text, line, key, expected",
    [
        ("okr:\n  annual:\n    satisfaction: 很高\n", 3, "okr.annual.satisfaction", "a number"),
        ("okr:\n  colour: red\n", 2, "okr.colour", "one of the keys"),
        ("work_plan:\n  months: [[a], [b]]\n", 2, "work_plan.months", "a list of 12"),
        ("tasks:\n  - {when: 第一季度, task: x, owner: y}\n  - hello\n", 3, "tasks[2]", "a mapping"),
        ("tasks:\n  - {when: 第五季度, task: x, owner: y}\n", 2, "tasks[1].when", "第一季度"),
        ("budget:\n  - {line: 推广费, line_en: P, rate: 3}\n", 2, "budget[1].rate", "0 to 1"),
        ("annual_plan:\n  measures: 培训\n", 2, "annual_plan.measures", "a list"),
        ("okr:\n  annual: [1, 2]\n", 2, "okr.annual", "a mapping"),
        ("okr: {\n", 2, None, "valid YAML"),
    ],
)
def test_bad_content_names_the_line_and_key(text, line, key, expected):
    problems = check_text(text, "my/content.yaml")
    assert problems, text
    p = problems[0]
    assert p.file == f"my/content.yaml, line {line}"
    assert p.key == key
    assert expected in p.expected


def test_a_section_left_out_keeps_its_default(tmp_path):
    path = tmp_path / "content.yaml"
    path.write_text("okr:\n  annual:\n    satisfaction: 0.95\n", encoding="utf-8")
    c = load_content(path)
    assert c["okr"]["annual"]["satisfaction"] == 0.95
    assert c["okr"]["annual"]["objective"] == default_content()["okr"]["annual"]["objective"]
    assert c["tasks"] == default_content()["tasks"]


def test_init_writes_content_beside_plan_and_editing_it_changes_the_kit(tmp_path):
    root = tmp_path / "myplan"
    paths = init_project(root, 2026)
    content = root / "content.yaml"
    assert content in paths and content.read_text(encoding="utf-8") == default_content_text()
    (root / "plan.toml").write_text(default_plan_text(), encoding="utf-8")  # demo's as_of
    text = content.read_text(encoding="utf-8")
    text = text.replace("制定销售目标和计划, owner: 销售经理", "编制华东区域开拓方案, owner: 王经理")
    text = text.replace("召开销售团队例会，布置本周工作任务", "晨会：复盘昨日订单")
    text = text.replace("- 每日客户拜访和洽谈", "- 每日巡店两家")
    text = text.replace("⑧ 定期举办联谊会", "⑧ 每季度举办经销商沙龙")
    text = text.replace("quarter_satisfaction: [0.85, 0.87, 0.89, 0.90]", "quarter_satisfaction: [0.8, 0.82, 0.84, 0.86]")
    text = text.replace("{line: 推广费, line_en: Promotion, rate: 0.02}", "{line: 直播推广费, line_en: Live, rate: 0.02}")
    content.write_text(text, encoding="utf-8")
    plan = load_plan(root / "plan.toml")
    assert plan.content is not None
    kit = build_kit(plan, demo_dataset(customers=30, as_of=plan.as_of), tmp_path / "out")
    p8 = _texts(kit, "P8")
    assert "编制华东区域开拓方案" in p8 and "王经理" in p8 and "制定销售目标和计划" not in p8
    p7 = _texts(kit, "P7")
    assert "晨会：复盘昨日订单" in p7 and "每日巡店两家" in p7
    assert "每季度举办经销商沙龙" in _texts(kit, "P6")
    assert "提高客户满意度至 82% 以上" in _texts(kit, "P2")
    assert "直播推广费" in _texts(kit, "P9")


def test_without_content_file_the_defaults_are_used(tmp_path):
    (tmp_path / "plan.toml").write_text(default_plan_text(), encoding="utf-8")
    assert load_plan(tmp_path / "plan.toml").content is None


def test_check_reports_a_bad_content_file_with_file_and_line(tmp_path):
    root = tmp_path / "p"
    init_project(root, 2026)
    content = root / "content.yaml"
    text = content.read_text(encoding="utf-8")
    text = text.replace("    satisfaction: 0.90\n", "    satisfaction: 九成\n    colour: red\n")
    content.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    satisfaction: 九成") + 1
    result = CliRunner().invoke(
        app, ["check", "--plan", str(root / "plan.toml"), "--data", str(root / "data.xlsx")]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    out = " ".join(result.output.split())  # rich may wrap long lines
    assert f"content.yaml, line {line}, key okr.annual.satisfaction" in out
    assert f"line {line + 1}, key okr.annual.colour" in out
    with pytest.raises(InputError):
        load_plan(root / "plan.toml")


def test_placeholders_state_the_kit_numbers(tmp_path):
    (tmp_path / "plan.toml").write_text(default_plan_text(), encoding="utf-8")
    data = yaml.safe_load(default_content_text())
    (tmp_path / "content.yaml").write_text(
        yaml.safe_dump({"work_plan": {"goals": ["{year}年 {company} 销售额增长 {growth}"]}}, allow_unicode=True),
        encoding="utf-8",
    )
    assert data["work_plan"]["goals"][0] == "实现销售额增长 {growth}"
    plan = load_plan(tmp_path / "plan.toml")
    kit = build_kit(plan, demo_dataset(customers=30, as_of=plan.as_of), tmp_path / "out")
    assert f"2026年 {plan.company} 销售额增长 15%" in _texts(kit, "P7")


@pytest.mark.parametrize(
    "due, done, as_of, status, days",
    [
        (dt.date(2026, 3, 31), None, dt.date(2026, 9, 30), "逾期", 183),
        (dt.date(2026, 12, 31), None, dt.date(2026, 9, 30), "未到期", 0),
        (dt.date(2026, 9, 30), None, dt.date(2026, 9, 30), "未到期", 0),
        (dt.date(2026, 3, 31), dt.date(2026, 3, 1), dt.date(2026, 9, 30), "已完成", 0),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 5), dt.date(2026, 9, 30), "逾期完成", 5),
        (None, None, dt.date(2026, 9, 30), "", 0),
    ],
)
def test_task_status_from_dates(due, done, as_of, status, days):
    assert task_status(due, done, as_of) == status
    assert task_overdue_days(due, done, as_of) == days


def test_due_dates_end_the_quarter_or_month():
    assert due_date(2026, "第一季度") == dt.date(2026, 3, 31)
    assert due_date(2026, "第四季度") == dt.date(2026, 12, 31)
    assert due_date(2026, "2月") == dt.date(2026, 2, 28)
