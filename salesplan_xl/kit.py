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
import hashlib
import re
from pathlib import Path

from .config import PlanConfig
from .cycle.typed_inputs import guard_typed_work
from .identity import kit_identity
from .render.files import inside, safe_component
from .sheets.context import BuildContext, Scope
from .sheets.dictionaries import dictionaries_for
from .sheets.spec import SheetSpec, load_specs

#: Above this many customers the writer streams rows to disk (XlsxWriter's
#: constant_memory mode) to stay within memory; lists then get filter buttons instead
#: of Excel tables, which that mode cannot write.
LARGE_KIT_CUSTOMERS = 2000


def kit_filename(plan: PlanConfig, scope: Scope, suffix: str = ".xlsx") -> str:
    """The kit's file name; a scope value from the data is made a safe name component
    (no path separators or characters Windows refuses), with a short hash of the value
    when that changed it, so that two scopes never share a file.

    >>> from salesplan_xl.config import demo_plan
    >>> kit_filename(demo_plan(), Scope("department", "../../tmp/x"))
    'salesplan_2026_department-tmp_x-b1d285.xlsx'
    """
    if scope.kind == "company":
        return f"salesplan_{plan.year}_company{suffix}"
    value = safe_component(scope.value)
    if value != scope.value:
        value += "-" + hashlib.sha1(scope.value.encode()).hexdigest()[:6]
    return f"salesplan_{plan.year}_{scope.kind}-{value}{suffix}"


def make_context(
    plan: PlanConfig,
    data,
    scope: str | Scope = "company",
    lang: str | None = None,
    formulas: str | None = None,
) -> BuildContext:
    """The build context for one scope: the data filtered to the scope, and the whole
    company's data, from which the one plan is made (a scope kit filters it)."""
    scope = scope if isinstance(scope, Scope) else Scope.parse(scope)
    scoped = data if scope.kind == "company" else data.scoped(scope.kind, scope.value)
    return BuildContext(
        plan=plan,
        data=scoped,
        scope=scope,
        lang=lang or plan.output.language,
        formula_mode=formulas or plan.output.formulas,
        company_data=data,
    )


def lay_out_kit(ctx: BuildContext, specs: tuple[SheetSpec, ...] | None = None) -> list:
    """Every sheet of the kit, laid out (values computed), in kit order."""
    from .sheets import build

    every = load_specs()
    return build.lay_out_all(ctx, build.with_homes(specs or every, every))


def build_kit(
    plan: PlanConfig,
    data,
    out_dir: str | Path,
    *,
    scope: str | Scope = "company",
    lang: str | None = None,
    formulas: str | None = None,
    specs: tuple[SheetSpec, ...] | None = None,
    force: bool = False,
) -> Path:
    """Build one kit workbook for ``scope`` into ``out_dir``; returns its path.

    The file appears only when complete (written to a temporary file, then renamed). An
    existing kit holding typed input is not replaced unless ``force`` (then a timestamped
    backup is kept beside it): :func:`salesplan_xl.cycle.typed_inputs.guard_typed_work`.
    """
    from .planning.visits import week_starts
    from .planning.workdays import calendar_covers, workdays
    from .render.writer import KitWriter
    from .sheets.build import iter_layouts, with_homes

    ctx = make_context(plan, data, scope, lang, formulas)
    every = load_specs()
    specs = with_homes(specs or every, every)
    udf_mode = ctx.formula_mode == "udf"  # .xlsm with the xlwings VBA project (issue 7)
    path = Path(out_dir) / kit_filename(plan, ctx.scope, ".xlsm" if udf_mode else ".xlsx")
    inside(Path(out_dir), path)
    guard_typed_work(path, force)
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
        kit.set_identity(kit_identity(plan, data, ctx.scope, ctx.lang, ctx.formula_mode))
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
        ordered = sorted(work)
        starts = dict(zip(ordered, week_starts(ordered), strict=True))
        kit.add_calendar(
            [(d, d in work, starts.get(d, False)) for d in days], calendar_covers(plan.year)
        )
        if udf_mode:
            from .addin.package import make_kit_macro_enabled

            make_kit_macro_enabled(kit)  # hidden salesplan.conf sheet + vbaProject.bin, last
    return path


def build_demo_kit(
    out_dir: str | Path,
    *,
    customers: int = 300,
    year: int = 2026,
    lang: str | None = None,
    formulas: str | None = None,
    force: bool = False,
) -> Path:
    """The kit built from the built-in demo company (what ``salesplan demo`` does)."""
    from .config import demo_plan
    from .data.demo import demo_dataset

    plan = demo_plan(year)
    data = demo_dataset(customers=customers, year=year, as_of=plan.as_of)
    return build_kit(plan, data, out_dir, lang=lang, formulas=formulas, force=force)


def check_inputs(plan_path: str | Path, data_path: str | Path):
    """Validate plan.toml and the data; returns (PlanConfig, Dataset) or raises InputError
    listing every problem at once. Without ``as_of`` in plan.toml, the as-of date is
    chosen from the data (:func:`salesplan_xl.data.plausibility.resolve_as_of`) and a
    note in ``plan.notes`` says which."""
    from .config import load_plan
    from .data.plausibility import resolve_as_of
    from .data.readers import load_data

    plan = load_plan(plan_path)
    data = load_data(data_path, year=plan.year, history_years=plan.history_years)
    if not plan.as_of_given:
        as_of, why = resolve_as_of(plan.year, data)
        plan = plan.replace(
            as_of=as_of,
            notes=(
                *plan.notes,
                f"{plan.source}: no as_of (基准日) set; using {as_of.isoformat()} ({why})",
            ),
        )
    return plan, data


def input_warnings(plan: PlanConfig, data) -> list[str]:
    """What ``check`` and ``build`` print as warnings: the plan's notes (unknown keys, the
    as-of date chosen) and :func:`salesplan_xl.data.plausibility.data_warnings`."""
    from .data.plausibility import data_warnings

    return [*plan.notes, *data_warnings(plan, data)]


def build_from_files(
    plan_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path,
    *,
    scopes: list[str] | tuple[str, ...] = ("company",),
    lang: str | None = None,
    formulas: str | None = None,
    force: bool = False,
    warn=None,
    store: str | Path | None = None,
) -> list[Path]:
    """Check the inputs, then build one kit per scope (what ``salesplan build`` does).
    Kits holding typed input are checked for all scopes before any is built. ``warn``,
    if given, is called with each of :func:`input_warnings`; the 参数 sheet lists them.
    With ``store`` (a history store filled by ``salesplan collect``), last year's monthly
    sales collected from last year's kits are the basis of the targets; the data
    supplies what the store lacks."""
    plan, data = check_inputs(plan_path, data_path)
    warnings = []
    if store is not None:
        from .cycle.collect import with_history

        data, note = with_history(plan, data, store)
        warnings.append(note)
    warnings += input_warnings(plan, data)
    plan = plan.replace(notes=tuple(warnings))  # listed on the 参数 sheet too
    for line in warnings if warn else ():
        warn(line)
    parsed = [Scope.parse(s) for s in scopes or ("company",)]
    if not force:
        suffix = ".xlsm" if (formulas or plan.output.formulas) == "udf" else ".xlsx"
        for s in parsed:
            guard_typed_work(Path(out_dir) / kit_filename(plan, s, suffix))
    return [
        build_kit(plan, data, out_dir, scope=s, lang=lang, formulas=formulas, force=force)
        for s in parsed
    ]


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
    # no as_of: the build takes the last month with sales (or today within the plan year)
    text = (
        default_plan_text()
        .replace("year = 2026", f"year = {year}")
        .replace(
            "as_of = 2026-09-30          # 基准日: actuals are counted up to this date "
            "(time progress, ageing)",
            f"# as_of = {year}-09-30        # 基准日: actuals are counted up to this date "
            "(time progress, ageing);\n"
            "                            # unset: the last month with sales, or today "
            "within the plan year",
        )
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
