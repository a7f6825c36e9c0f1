"""Build the workbook kit: the plan and the data in, one .xlsx per scope out.

>>> from salesplan_xl.config import demo_plan
>>> from salesplan_xl.data.demo import demo_dataset
>>> import tempfile
>>> path = build_kit(demo_plan(), demo_dataset(customers=40), tempfile.mkdtemp())
>>> path.name
'salesplan_2026_company.xlsx'
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .config import PlanConfig
from .sheets.context import BuildContext, Scope
from .sheets.dictionaries import dictionaries_for
from .sheets.spec import SheetSpec, load_specs

#: Above this many customers the writer streams rows to disk (XlsxWriter's
#: constant_memory mode) to stay within memory; lists then get filter buttons instead
#: of Excel tables, which that mode cannot write.
LARGE_KIT_CUSTOMERS = 2000


def kit_filename(plan: PlanConfig, scope: Scope, suffix: str = ".xlsx") -> str:
    return f"salesplan_{plan.year}_{scope.slug()}{suffix}"


def make_context(
    plan: PlanConfig,
    data,
    scope: str | Scope = "company",
    lang: str | None = None,
    formulas: str | None = None,
) -> BuildContext:
    """The build context for one scope: the data filtered to the scope."""
    scope = scope if isinstance(scope, Scope) else Scope.parse(scope)
    scoped = data if scope.kind == "company" else data.scoped(scope.kind, scope.value)
    return BuildContext(
        plan=plan,
        data=scoped,
        scope=scope,
        lang=lang or plan.output.language,
        formula_mode=formulas or plan.output.formulas,
    )


def lay_out_kit(ctx: BuildContext, specs: tuple[SheetSpec, ...] | None = None) -> list:
    """Every sheet of the kit, laid out (values computed), in kit order."""
    from .sheets import build

    return build.lay_out_all(ctx, specs or load_specs())


def build_kit(
    plan: PlanConfig,
    data,
    out_dir: str | Path,
    *,
    scope: str | Scope = "company",
    lang: str | None = None,
    formulas: str | None = None,
    specs: tuple[SheetSpec, ...] | None = None,
) -> Path:
    """Build one kit workbook for ``scope`` into ``out_dir``; returns its path.

    The file appears only when complete (written to a temporary file, then renamed).
    """
    from .planning.workdays import calendar_covers, workdays
    from .render.writer import KitWriter
    from .sheets.build import iter_layouts

    ctx = make_context(plan, data, scope, lang, formulas)
    specs = specs or load_specs()
    udf_mode = ctx.formula_mode == "udf"  # .xlsm with the xlwings VBA project (issue 7)
    path = Path(out_dir) / kit_filename(plan, ctx.scope, ".xlsm" if udf_mode else ".xlsx")
    props = {
        "title": f"{plan.company} {plan.year} 销售计划与客户管理",
        "subject": ctx.scope.label(ctx.lang),
        "author": plan.preparer,
        "company": plan.company,
        "comments": "salesplan_xl",
        "created": plan.created,
    }
    work = set(workdays(plan.year))
    days = [dt.date(plan.year, 1, 1) + dt.timedelta(d) for d in range(366)]
    days = [d for d in days if d.year == plan.year]
    large = len(ctx.data.customers) > LARGE_KIT_CUSTOMERS
    with KitWriter(
        path,
        props,
        lang=ctx.lang,
        protect=plan.output.protect,
        password=plan.output.password,
        constant_memory=large,
    ) as kit:
        sheets = {id(s): kit.add_sheet(s.sheet_name(ctx.lang), s.family) for s in specs}
        for lay in iter_layouts(ctx, specs):
            kit.add_layout(lay, sheets[id(lay.spec)])
            if lay.spec.kind == "settings":
                for key, setting in ctx.settings.items():
                    r, c = lay.named_cells[key]
                    kit.define_name(setting.name, lay.name, r, c)
            lay.cells, lay.merges, lay.links = [], [], []  # written: free them
        kit.add_dictionaries(
            dictionaries_for(
                ctx.data.regions(), ctx.data.departments(), sorted(ctx.data.reps["rep_id"].dropna())
            )
        )
        kit.add_calendar([(d, d in work) for d in days], calendar_covers(plan.year))
        if udf_mode:
            from .addin.package import make_kit_macro_enabled

            make_kit_macro_enabled(kit)  # hidden xlwings.conf sheet + vbaProject.bin, last
    return path


def build_demo_kit(
    out_dir: str | Path,
    *,
    customers: int = 300,
    year: int = 2026,
    lang: str | None = None,
    formulas: str | None = None,
) -> Path:
    """The kit built from the built-in demo company (what ``salesplan demo`` does)."""
    from .config import demo_plan
    from .data.demo import demo_dataset

    plan = demo_plan(year)
    data = demo_dataset(customers=customers, year=year, as_of=plan.as_of)
    return build_kit(plan, data, out_dir, lang=lang, formulas=formulas)


def check_inputs(plan_path: str | Path, data_path: str | Path):
    """Validate plan.toml and the data; returns (PlanConfig, Dataset) or raises InputError
    listing every problem at once."""
    from .config import load_plan
    from .data.readers import load_data

    plan = load_plan(plan_path)
    data = load_data(data_path, year=plan.year, history_years=plan.history_years)
    return plan, data


def build_from_files(
    plan_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path,
    *,
    scopes: list[str] | tuple[str, ...] = ("company",),
    lang: str | None = None,
    formulas: str | None = None,
) -> list[Path]:
    """Check the inputs, then build one kit per scope (what ``salesplan build`` does)."""
    plan, data = check_inputs(plan_path, data_path)
    parsed = [Scope.parse(s) for s in scopes or ("company",)]
    return [build_kit(plan, data, out_dir, scope=s, lang=lang, formulas=formulas) for s in parsed]


def init_project(directory: str | Path, year: int | None = None) -> list[Path]:
    """Write a commented plan.toml, the plan documents' words (content.yaml) and an input
    workbook to fill (``salesplan init``).

    Existing files are never overwritten.
    """
    from .config import default_plan_text
    from .content import CONTENT_FILE, default_content_text
    from .errors import InputError, Problem
    from .render.input_template import write_input_template

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    plan_path, data_path = directory / "plan.toml", directory / "data.xlsx"
    content_path = directory / CONTENT_FILE
    existing = [p for p in (plan_path, content_path, data_path) if p.exists()]
    if existing:
        raise InputError(
            [
                Problem(str(p), expected="a new file (init never overwrites)", found="it exists")
                for p in existing
            ]
        )
    year = year or dt.date.today().year
    text = (
        default_plan_text()
        .replace("year = 2026", f"year = {year}")
        .replace("as_of = 2026-09-30", f"as_of = {year}-12-31")
    )
    tmp = plan_path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(plan_path)
    tmp = content_path.with_suffix(".yaml.tmp")
    tmp.write_text(default_content_text(), encoding="utf-8")
    tmp.replace(content_path)
    write_input_template(data_path, year)
    return [plan_path, data_path, content_path]


def find_inputs(workbook: Path | None) -> tuple[Path, Path]:
    """``plan.toml`` and the data (``data.xlsx`` or a ``data/`` folder of CSV files) in the
    workbook's folder or its parent (kits are usually written to ``out/`` beside them)."""
    if workbook is None:
        raise FileNotFoundError("the workbook has not been saved; save it next to plan.toml")
    for folder in (workbook.parent, workbook.parent.parent):
        plan = folder / "plan.toml"
        if not plan.is_file():
            continue
        for data in (folder / "data.xlsx", folder / "data"):
            if data.exists():
                return plan, data
        raise FileNotFoundError(f"{plan} found, but no data.xlsx or data/ beside it")
    raise FileNotFoundError(
        f"no plan.toml in {workbook.parent} or {workbook.parent.parent}; "
        "keep the kit next to (or one folder below) plan.toml and data.xlsx"
    )


_KIT_NAME = re.compile(r"^salesplan_\d{4}_(?P<slug>.+)$")


def scope_from_filename(path: Path | None) -> str:
    """``salesplan_2026_region-华东.xlsx`` -> ``region:华东``; anything else -> company."""
    m = _KIT_NAME.match(path.stem) if path else None
    if not m or m.group("slug") == "company":
        return "company"
    kind, _, value = m.group("slug").partition("-")
    return f"{kind}:{value}" if kind in ("department", "region", "rep") and value else "company"
