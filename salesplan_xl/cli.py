"""The ``salesplan`` command: each command is a thin layer over one package function.

======================  ===============================================
command                 function
======================  ===============================================
``salesplan demo``      :func:`salesplan_xl.kit.build_demo_kit`
``salesplan init``      :func:`salesplan_xl.kit.init_project`
``salesplan check``     :func:`salesplan_xl.kit.check_inputs`
``salesplan build``     :func:`salesplan_xl.kit.build_from_files`
``salesplan rollover``  :func:`salesplan_xl.cycle.rollover_workbook`
``salesplan addin``     :mod:`salesplan_xl.addin.package`: ``build``
                        (:func:`~salesplan_xl.addin.package.build_addin`),
                        ``install`` / ``uninstall`` (XLSTART)
======================  ===============================================
"""

from __future__ import annotations

import sys
import time
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
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _fail(exc: SalesplanError) -> None:
    err.print(f"error: {exc}", markup=False)
    raise typer.Exit(exc.exit_code)


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
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Build the kit from the built-in demo company."""
    started = time.perf_counter()
    try:
        path = kit.build_demo_kit(out_dir, customers=customers, year=year, lang=lang)
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
    except SalesplanError as exc:
        _fail(exc)
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
    lang: Annotated[str | None, typer.Option(help="zh or en (default: the plan's).")] = None,
    formulas: Annotated[
        str | None, typer.Option(help="native or udf (default: the plan's).")
    ] = None,
) -> None:
    """Build the kit from plan.toml and the data."""
    started = time.perf_counter()
    try:
        paths = kit.build_from_files(
            plan, data, out_dir, scopes=scope or ["company"], lang=lang, formulas=formulas
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
    lang: Annotated[str, typer.Option(help="Ribbon labels: zh or en.")] = "zh",
) -> None:
    """Build SalesPlan.xlam (works on any OS; the same inputs give the same bytes)."""
    from .addin.package import build_addin

    try:
        path = build_addin(out_dir, lang)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"wrote {path}")


@addin_app.command("install")
def addin_install(
    lang: Annotated[str, typer.Option(help="Ribbon labels: zh or en.")] = "zh",
) -> None:
    """Build the add-in for this Python into Excel's XLSTART folder (Windows, macOS)."""
    from .addin.package import UnsupportedPlatform, install_addin

    try:
        path = install_addin(lang)
    except UnsupportedPlatform as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"installed {path}; restart Excel to load the 销售计划 tab")


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
) -> None:
    """Collect a filled kit into history.sqlite and build next year's kit."""
    from .cycle import rollover_workbook

    try:
        path = rollover_workbook(workbook)
    except SalesplanError as exc:
        _fail(exc)
    except FileNotFoundError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.print(f"wrote {path}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
