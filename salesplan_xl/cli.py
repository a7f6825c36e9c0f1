"""The ``salesplan`` command: each command is a thin layer over one package function.

======================  ===============================================
command                 function
======================  ===============================================
``salesplan demo``      :func:`salesplan_xl.kit.build_demo_kit`
``salesplan init``      :func:`salesplan_xl.kit.init_project`
``salesplan check``     :func:`salesplan_xl.kit.check_inputs`
``salesplan build``     :func:`salesplan_xl.kit.build_from_files`
``salesplan rollover``  :func:`salesplan_xl.cycle.rollover_workbook`
``salesplan audit``     :func:`salesplan_xl.audit.audit_kit`
``salesplan collect``   :func:`salesplan_xl.cycle.collect.collect_kits`
``salesplan batch``     :func:`salesplan_xl.cycle.batch.build_batch`
``salesplan addin``     :mod:`salesplan_xl.addin.package`: ``build``
                        (:func:`~salesplan_xl.addin.package.build_addin`),
                        ``install`` / ``uninstall`` (XLSTART),
                        ``selftest`` (:mod:`salesplan_xl.addin.selftest`)
======================  ===============================================
"""

from __future__ import annotations

import os
import sys
import time
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__, kit
from .errors import SalesplanError

app = typer.Typer(
    help="salesplan_xl: build the yearly sales-plan and customer-management workbook kit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# markup off: company names, paths and cell text such as "[/]" are printed as they are
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
out = Console(highlight=False, soft_wrap=True, markup=False)



class Lang(StrEnum):
    zh = "zh"
    en = "en"


class Formulas(StrEnum):
    native = "native"
    udf = "udf"


def _value(choice: Enum | None) -> str | None:
    return None if choice is None else choice.value

FORCE_HELP = (
    "Replace a kit that holds typed input (a timestamped backup is kept beside it); "
    "without it such a kit is never overwritten."
)


def _fail(exc: SalesplanError) -> None:
    err.print(f"error: {exc}", markup=False)
    raise typer.Exit(exc.exit_code)


def _warn(line: str) -> None:
    err.print(f"warning: {line}")


def _need_store(store: Path | None) -> None:
    """--store must name an existing history store (salesplan collect makes it)."""
    if store is not None and not store.is_file():
        err.print(f"error: {store}: no such history store", markup=False)
        raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        out.print(f"salesplan_xl {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """salesplan_xl: build the yearly sales-plan and customer-management workbook kit."""


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the kit to.")] = Path(
        "out"
    ),
    customers: Annotated[
        int, typer.Option(help="Number of demo customers.", min=1, max=200_000)
    ] = 300,
    year: Annotated[int, typer.Option(help="Plan year.", min=2005, max=2100)] = 2026,
    lang: Annotated[Lang, typer.Option(help="zh or en.")] = Lang.zh,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
) -> None:
    """Build the kit from the built-in demo company."""
    started = time.perf_counter()
    try:
        path = kit.build_demo_kit(
            out_dir, customers=customers, year=year, lang=_value(lang), force=force
        )
    except SalesplanError as exc:
        _fail(exc)
    out.print(f"wrote {path} ({customers} customers, {time.perf_counter() - started:.1f} s)")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for plan.toml and data.xlsx.")],
    year: Annotated[int | None, typer.Option(help="Plan year (default: this year).")] = None,
) -> None:
    """Write a commented plan.toml, the plan texts (content.yaml) and an input workbook."""
    try:
        paths = kit.init_project(directory, year)
    except SalesplanError as exc:
        _fail(exc)
    for p in paths:
        out.print(f"wrote {p}")


@app.command()
def check(
    plan: Annotated[Path, typer.Option("--plan", help="plan.toml")] = Path("plan.toml"),
    data: Annotated[Path, typer.Option("--data", help="data.xlsx or a folder of CSV files")] = Path(
        "data.xlsx"
    ),
) -> None:
    """Validate plan.toml and the data only; every problem is listed."""
    try:
        cfg, ds = kit.check_inputs(plan, data)
        warnings = kit.input_warnings(cfg, ds)
    except SalesplanError as exc:
        _fail(exc)
    for line in warnings:
        _warn(line)
    out.print(
        f"ok: {cfg.year} {cfg.company}: {len(ds.customers)} customers, {len(ds.reps)} reps, "
        f"{len(ds.sales)} sales rows, {len(ds.invoices)} invoices"
    )
    out.print(
        "plan texts: content.yaml beside plan.toml"
        if cfg.content is not None
        else "plan texts: the defaults (no content.yaml beside plan.toml)"
    )


@app.command()
def build(
    plan: Annotated[Path, typer.Option("--plan", help="plan.toml")] = Path("plan.toml"),
    data: Annotated[Path, typer.Option("--data", help="data.xlsx or a folder of CSV files")] = Path(
        "data.xlsx"
    ),
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the kit to.")] = Path(
        "out"
    ),
    scope: Annotated[
        list[str] | None,
        typer.Option(
            help="company, department:NAME, region:NAME or rep:ID; repeat for several kits."
        ),
    ] = None,
    lang: Annotated[Lang | None, typer.Option(help="zh or en (default: the plan's).")] = None,
    formulas: Annotated[
        Formulas | None, typer.Option(help="native or udf (default: the plan's).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="History store (salesplan collect): last year's actuals from it."
        ),
    ] = None,
) -> None:
    """Build the kit from plan.toml and the data."""
    started = time.perf_counter()
    _need_store(store)
    try:
        paths = kit.build_from_files(
            plan,
            data,
            out_dir,
            scopes=scope or ["company"],
            lang=_value(lang),
            formulas=_value(formulas),
            force=force,
            warn=_warn,
            store=store,
        )
    except SalesplanError as exc:
        _fail(exc)
    for p in paths:
        out.print(f"wrote {p}")
    out.print(f"{len(paths)} workbook(s) in {time.perf_counter() - started:.1f} s")


addin_app = typer.Typer(
    help="The Excel add-in SalesPlan.xlam (ribbon 销售计划 and the SP_* functions).",
    no_args_is_help=True,
)
app.add_typer(addin_app, name="addin")


@addin_app.command("build")
def addin_build(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write SalesPlan.xlam to.")
    ] = Path("out"),
    lang: Annotated[Lang, typer.Option(help="Ribbon labels: zh or en.")] = Lang.zh,
) -> None:
    """Build SalesPlan.xlam (works on any OS; the same inputs give the same bytes)."""
    from .addin.package import build_addin

    try:
        path = build_addin(out_dir, lang.value)
    except (NotADirectoryError, FileExistsError, PermissionError) as exc:
        err.print(f"error: {exc.filename or out_dir}: cannot write there ({exc.strerror})")
        raise typer.Exit(2) from None
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"wrote {path}")


@addin_app.command("install")
def addin_install(
    lang: Annotated[Lang, typer.Option(help="Ribbon labels: zh or en.")] = Lang.zh,
) -> None:
    """Install the add-in into Excel's XLSTART folder and set this Python as the interpreter
    in the user file salesplan.conf, which the add-in and udf kits read (Windows, macOS)."""
    from .addin.package import UnsupportedPlatform, install_addin, user_config_path

    try:
        path = install_addin(lang.value)
        config = user_config_path()
    except UnsupportedPlatform as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"installed {path}; restart Excel to load the 销售计划 tab", markup=False)
    out.print(
        f"this Python is the interpreter in {config} (read by the add-in and udf kits)",
        markup=False,
    )


@addin_app.command("selftest")
def addin_selftest(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write the self-test (script, add-in, kits) to."),
    ] = None,
    read: Annotated[
        Path | None,
        typer.Option("--read", help="Print a selftest-report.json written by the script."),
    ] = None,
    lang: Annotated[str, typer.Option(help="Ribbon labels of the add-in: zh or en.")] = "zh",
) -> None:
    """Write a self-test for a Windows machine with Excel (selftest.ps1 and its inputs), or
    print the report it wrote (exit 1 if a check failed)."""
    from .addin.selftest import ReportError, format_report, write_selftest

    if (out_dir is None) == (read is None):
        err.print("error: give either --out DIR or --read REPORT.json", markup=False)
        raise typer.Exit(2)
    if read is not None:
        try:
            text, passed = format_report(read)
        except ReportError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
        out.print(text, markup=False, highlight=False)
        raise typer.Exit(0 if passed else 1)
    try:
        script = write_selftest(out_dir, lang)
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"wrote {script} and its inputs; on a Windows machine with Excel run:", markup=False)
    out.print(f"  powershell -ExecutionPolicy Bypass -File {script}", markup=False)


@addin_app.command("uninstall")
def addin_uninstall() -> None:
    """Remove SalesPlan.xlam from Excel's XLSTART folder."""
    from .addin.package import UnsupportedPlatform, uninstall_addin

    try:
        path = uninstall_addin()
    except UnsupportedPlatform as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.print(f"removed {path}" if path else "SalesPlan.xlam was not installed")


@app.command()
def rollover(
    workbook: Annotated[Path, typer.Argument(help="A filled kit, next to plan.toml and the data.")],
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
) -> None:
    """Collect a filled kit into history.sqlite and build next year's kit."""
    from .cycle import rollover_workbook

    try:
        path = rollover_workbook(workbook, force=force)
    except SalesplanError as exc:
        _fail(exc)
    except FileNotFoundError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.print(f"wrote {path}")


@app.command()
def audit(
    workbooks: Annotated[list[Path], typer.Argument(help="Kits as they came back (.xlsx).")],
) -> None:
    """Check returned kits: cross-sheet identities, overwritten formulas, wrong input
    types. Exit 0 when every kit is clean, 1 when not, 2 when a file cannot be read."""
    from .audit import audit_kit

    worst = 0
    for path in workbooks:
        if not path.is_file():
            err.print(f"error: {path}: no such file", markup=False)
            worst = 2
            continue
        report = audit_kit(path)
        for line in report.lines():
            out.print(line, markup=False)
        if any(f.kind == "unreadable" for f in report.findings):
            worst = 2
        elif not report.clean:
            worst = max(worst, 1)
    raise typer.Exit(worst)


@app.command()
def collect(
    workbooks: Annotated[list[Path], typer.Argument(help="Filled kits (.xlsx / .xlsm).")],
    store: Annotated[Path, typer.Option("--store", help="The history store (SQLite file).")],
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="plan.toml: kits of another year or company are refused."),
    ] = None,
) -> None:
    """Collect filled kits into the history store: every typed fact with its file,
    sheet and cell; a kit collected again replaces its own facts. Exit 0 when every
    typed cell was stored, 1 when some were rejected (each is listed), 2 on bad input."""
    from .config import load_plan
    from .cycle.collect import collect_kits

    year = company = None
    if plan is not None:
        try:
            cfg = load_plan(plan)
        except SalesplanError as exc:
            _fail(exc)
        year, company = cfg.year, cfg.company
    missing = [p for p in workbooks if not p.is_file()]
    if missing:
        for p in missing:
            err.print(f"error: {p}: no such file", markup=False)
        raise typer.Exit(2)
    report = collect_kits(workbooks, store, year=year, company=company)
    for line in report.lines():
        out.print(line, markup=False)
    raise typer.Exit(0 if report.clean else 1)


class By(StrEnum):
    department = "department"
    region = "region"
    rep = "rep"


@app.command()
def batch(
    plan: Annotated[Path, typer.Option("--plan", help="plan.toml")] = Path("plan.toml"),
    data: Annotated[Path, typer.Option("--data", help="data.xlsx or a folder of CSV files")] = Path(
        "data.xlsx"
    ),
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the kits to.")] = Path(
        "out"
    ),
    by: Annotated[By, typer.Option("--by", help="One kit per department, region or rep.")] = By.department,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", min=1, max=64, help="Worker processes (default: cores).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    store: Annotated[
        Path | None, typer.Option("--store", help="History store: last year's actuals from it.")
    ] = None,
) -> None:
    """Build the company kit and one kit per scope in worker processes, with a manifest;
    kits whose inputs are unchanged are kept, not rewritten."""
    from rich.progress import Progress

    from .cycle.batch import build_batch

    _need_store(store)
    started = time.perf_counter()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("kits", total=None)

        def tick(scope: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=scope)

        try:
            report = build_batch(
                plan, data, out_dir, by=by.value, jobs=jobs, force=force, store=store, progress=tick
            )
        except SalesplanError as exc:
            _fail(exc)
    for k in report.kits:
        out.print(f"{'wrote' if k.built else 'kept '} {k.path}", markup=False)
    out.print(
        f"{report.built} built, {report.kept} unchanged, manifest {report.manifest} "
        f"({time.perf_counter() - started:.1f} s)",
        markup=False,
    )


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("SALESPLAN_DEBUG"):
            raise
        err.print(
            f"error: unexpected {type(exc).__name__}: {exc} "
            "(please report it; SALESPLAN_DEBUG=1 shows the details)"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
