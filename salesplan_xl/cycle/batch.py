"""Build every scope's kit in one batch (``salesplan batch``): the company kit plus one
kit per department, region or rep, in worker processes, with a manifest.

Each worker reads plan.toml and the data once and builds the kits it is given; every kit
is a filter of the same company plan (one model). The manifest (``manifest.json`` in the
output folder) lists the inputs with their SHA-256, the generator and every output with
its scope and SHA-256. Run again with unchanged inputs, the batch rewrites nothing: a kit
whose inputs and file are as the manifest says is kept.

    >>> import tempfile, pathlib
    >>> from salesplan_xl.kit import init_project
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = init_project(root / "p", year=2026)
    >>> r = build_batch(root / "p" / "plan.toml", root / "p" / "data.xlsx", root / "out", by="region", jobs=1)
    >>> [k.scope for k in r.kits][:2], r.built == len(r.kits)
    (['company', 'region:华东'], True)
    >>> again = build_batch(root / "p" / "plan.toml", root / "p" / "data.xlsx", root / "out", by="region", jobs=1)
    >>> again.built, again.kept == len(r.kits)
    (0, True)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..identity import file_sha256

MANIFEST = "manifest.json"
BY = ("department", "region", "rep")


@dataclass
class BatchKit:
    scope: str
    path: Path
    sha256: str
    built: bool  # False: kept, unchanged since the manifest


@dataclass
class BatchReport:
    kits: list[BatchKit] = field(default_factory=list)
    manifest: Path | None = None

    @property
    def built(self) -> int:
        return sum(k.built for k in self.kits)

    @property
    def kept(self) -> int:
        return sum(not k.built for k in self.kits)


def input_files(plan_path: Path, data_path: Path, store: Path | None) -> dict[str, Path]:
    """The files a batch reads, by role: plan.toml, content.yaml beside it, the data (a
    workbook or every file of a CSV folder) and the history store."""
    from ..content import CONTENT_FILE

    files = {"plan": plan_path}
    if (plan_path.parent / CONTENT_FILE).is_file():
        files["content"] = plan_path.parent / CONTENT_FILE
    if data_path.is_dir():
        files |= {f"data/{p.name}": p for p in sorted(data_path.iterdir()) if p.is_file()}
    else:
        files["data"] = data_path
    if store is not None:
        files["store"] = store
    return files


def scopes_of(data, by: str) -> list[str]:
    """``company`` and every ``by`` scope of the data, in the data's order."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, got {by!r}")
    if by == "department":
        values = data.departments()
    elif by == "region":
        values = [r for r in data.regions() if (data.customers["region"] == r).any()]
    else:
        values = sorted(set(data.customers["rep_id"].dropna()))
    return ["company", *(f"{by}:{v}" for v in values)]


# --------------------------------------------------------------------------- workers

_WORKER: dict = {}


def _start_worker(plan_path: str, data_path: str, store: str | None) -> None:
    from ..kit import check_inputs

    plan, data = check_inputs(plan_path, data_path)
    if store is not None:
        from .collect import with_history

        data, note = with_history(plan, data, store)
        plan = plan.replace(notes=(*plan.notes, note))
    _WORKER.update(plan=plan, data=data)


def _build_one(scope: str, out_dir: str, force: bool) -> tuple[str, str]:
    from ..kit import build_kit

    path = build_kit(_WORKER["plan"], _WORKER["data"], out_dir, scope=scope, force=force)
    return scope, str(path)


# --------------------------------------------------------------------------- batch


def build_batch(
    plan_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path,
    *,
    by: str = "department",
    jobs: int | None = None,
    force: bool = False,
    store: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BatchReport:
    """Build the company kit and one kit per ``by`` scope into ``out_dir`` with ``jobs``
    worker processes (default: the number of cores), then write the manifest.
    ``progress(scope, done, total)`` is called as each kit is finished."""
    from ..kit import check_inputs, kit_filename
    from ..sheets.context import Scope

    plan_path, data_path, out_dir = Path(plan_path), Path(data_path), Path(out_dir)
    store = Path(store) if store is not None else None
    plan, data = check_inputs(plan_path, data_path)
    scopes = scopes_of(data, by)
    inputs = {k: file_sha256(p) for k, p in input_files(plan_path, data_path, store).items()}
    old = _read_manifest(out_dir / MANIFEST)
    report = BatchReport()
    todo = []
    suffix = ".xlsm" if plan.output.formulas == "udf" else ".xlsx"
    for scope in scopes:
        path = out_dir / kit_filename(plan, Scope.parse(scope), suffix)
        recorded = old.get("outputs", {}).get(scope)
        unchanged = (
            old.get("inputs") == inputs
            and old.get("generator") == f"salesplan_xl {__version__}"
            and recorded is not None
            and path.is_file()
            and recorded.get("file") == path.name
            and recorded.get("sha256") == file_sha256(path)
        )
        if unchanged and not force:
            report.kits.append(BatchKit(scope, path, recorded["sha256"], built=False))
            if progress:
                progress(scope, len(report.kits), len(scopes))
        else:
            todo.append(scope)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if todo:
        args = (str(plan_path), str(data_path), str(store) if store else None)
        if jobs == 1:
            _start_worker(*args)
            results = (_build_one(s, str(out_dir), force) for s in todo)
            _collect(results, report, scopes, progress)
        else:
            with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=args) as pool:
                futures = [pool.submit(_build_one, s, str(out_dir), force) for s in todo]
                _collect((f.result() for f in as_completed(futures)), report, scopes, progress)
    order = {s: i for i, s in enumerate(scopes)}
    report.kits.sort(key=lambda k: order[k.scope])
    report.manifest = _write_manifest(out_dir, inputs, report)
    return report


def _collect(results, report: BatchReport, scopes: list[str], progress) -> None:
    for scope, path in results:
        path = Path(path)
        report.kits.append(BatchKit(scope, path, file_sha256(path), built=True))
        if progress:
            progress(scope, len(report.kits), len(scopes))


def _read_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(out_dir: Path, inputs: dict, report: BatchReport) -> Path:
    manifest = {
        "generator": f"salesplan_xl {__version__}",
        "inputs": inputs,
        "outputs": {
            k.scope: {"file": k.path.name, "sha256": k.sha256} for k in report.kits
        },
    }
    path = out_dir / MANIFEST
    tmp = path.with_name(f".{MANIFEST}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path
