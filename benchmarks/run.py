"""One benchmark run: build, the XlsxWriter floor, cells per recalculation, LibreOffice.

    python benchmarks/run.py                          # 300, 3k, 10k; LibreOffice on 3k and 10k
    python benchmarks/run.py --customers 300 3000 --lo 3000 --json out.json
    python benchmarks/run.py --customers 3000 --lo --pythonpath /tmp/old   # an older tree

CPU time (user + sys of the child processes, from ``getrusage(RUSAGE_CHILDREN)``) is the
primary figure on a shared machine; wall time is printed beside it. For each size, in
child processes:

* ``kit``: ``build_demo_kit`` end to end (peak RSS of that child);
* ``floor``: plain XlsxWriter writing the kit's cells (values, formulas with cached values,
  the same formats, merges, widths) with ``constant_memory`` and the fast formula path
  (``render/fast_formulas``), read from a pickle made beforehand (not timed);
* the cells referenced per full recalculation, counted from the kit's formulas
  (``recalc_cost.py``);
* for the ``--lo`` sizes: LibreOffice headless opening and saving the kit, once keeping
  the cached values (``OOXMLRecalcMode`` 1, never recalculate) and once recalculating
  every formula on load (mode 0, what ``fullCalcOnLoad`` asks of Excel); the difference is
  the cost of a full recalculation.

Keep runs short on a shared machine: each measurement runs once. Results of a run are
kept in ``benchmarks/results/`` and summarised in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from recalc_cost import count  # noqa: E402

CHILD = r"""
import json, pickle, resource, sys, time, datetime as dt
mode, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import pandas, xlsxwriter, salesplan_xl.kit, salesplan_xl.sheets.build  # imports not measured
cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
if mode == "kit":
    from salesplan_xl.kit import build_demo_kit
    print("PATH", build_demo_kit(work, customers=n))
elif mode == "layout":
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import lay_out_kit, make_context
    plan = demo_plan()
    ctx = make_context(plan, demo_dataset(customers=n, as_of=plan.as_of))
    sheets = [(lay.name, list(lay.cells), lay.merges, lay.widths) for lay in lay_out_kit(ctx)]
    with open(work + "/cells.pickle", "wb") as fh:
        pickle.dump(sheets, fh, protocol=pickle.HIGHEST_PROTOCOL)
else:  # floor
    from salesplan_xl.render.fast_formulas import speed_up
    from salesplan_xl.render.theme import Theme
    with open(work + "/cells.pickle", "rb") as fh:
        sheets = pickle.load(fh)
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    wb = xlsxwriter.Workbook(work + "/floor.xlsx", {"constant_memory": True,
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    theme = Theme(wb)
    def fmt(kind, role):
        if role in ("data", "input", "computed", "subtotal", "total"):
            return theme.cell(kind, role)
        return theme.header() if role == "header" else theme.subtitle()
    epoch = dt.datetime(1899, 12, 30)
    for name, cells, merges, widths in sheets:
        ws = wb.add_worksheet(name)
        speed_up(ws)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ops = [(r1, c1, 0, m) for m in merges for r1, c1 in [m[:2]]]
        ops += [(c[0], c[1], 1, c) for c in cells]
        ops.sort(key=lambda o: (o[0], o[1], o[2]))  # constant_memory: row by row
        for _, _, is_cell, op in ops:
            if not is_cell:
                r1, c1, r2, c2, value, role = op
                ws.merge_range(r1, c1, r2, c2, str(value), theme.title())
                continue
            r, c, value, formula, kind, role = op
            f = fmt(kind, role)
            if formula is not None:
                if isinstance(value, dt.date):
                    value = (dt.datetime(value.year, value.month, value.day) - epoch).days
                ws.write_formula(r, c, "=" + formula, f, value)
            elif value is None or value == "":
                ws.write_blank(r, c, None, f)
            elif isinstance(value, str):
                ws.write_string(r, c, value, f)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), f)
            else:
                ws.write_number(r, c, value, f)
    wb.close()
print(json.dumps({"cpu_in_child": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measured(cmd: list[str], env: dict | None = None, cwd=None) -> tuple[float, float, str]:
    """(CPU seconds of the child and its children, wall seconds, stdout)."""
    cpu, wall = _children_cpu(), time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=cwd)
    return _children_cpu() - cpu, time.perf_counter() - wall, out.stdout


def child(mode: str, n: int, work: Path, pythonpath: str | None) -> dict:
    env = {**os.environ}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    # run in the work directory: ``-c`` puts the current directory first on sys.path
    cpu, wall, stdout = measured([sys.executable, "-c", CHILD, mode, str(n), str(work)], env, work)
    lines = stdout.strip().splitlines()
    res = json.loads(lines[-1])
    path = next((ln[5:] for ln in lines if ln.startswith("PATH ")), None)
    # the floor's CPU counts from after unpickling; the others from after the imports
    return {"cpu_s": round(res["cpu_in_child"], 2), "process_cpu_s": round(cpu, 2),
            "wall_s": round(wall, 2), "peak_mb": round(res["peak_mb"]), "path": path}


def libreoffice(path: Path, recalc: bool) -> dict:
    """Open and save ``path`` in LibreOffice headless; CPU and wall seconds."""
    from salesplan_xl.libreoffice import soffice

    with tempfile.TemporaryDirectory(prefix="lo-bench-") as prof:
        user = Path(prof) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_XCU.format(mode=0 if recalc else 1))
        out = Path(prof) / "out"
        cmd = [soffice(), "--headless", "--norestore", "--nologo",
               f"-env:UserInstallation={Path(prof).as_uri()}", "--convert-to", "xlsx",
               "--outdir", str(out), str(path)]
        cpu, wall, _ = measured(cmd, {**os.environ, "HOME": prof})
        if not (out / path.name).exists():
            raise RuntimeError(f"LibreOffice wrote nothing for {path}")
    return {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, nargs="+", default=[300, 3000, 10_000])
    ap.add_argument("--lo", type=int, nargs="*", default=[3000, 10_000],
                    help="sizes whose kit LibreOffice opens (with and without recalculation)")
    ap.add_argument("--no-floor", action="store_true", help="skip the XlsxWriter floor")
    ap.add_argument("--pythonpath", help="measure another source tree (e.g. an older commit)")
    ap.add_argument("--json", help="write the results here (e.g. benchmarks/results/DATE.json)")
    args = ap.parse_args()
    results = []
    print(f"{'customers':>9} {'kit CPU s':>9} {'(wall)':>7} {'floor CPU s':>11} {'ratio':>5}"
          f" {'kit MB':>6} {'cells/recalc':>14} {'LO keep s':>9} {'LO recalc s':>11}")
    for n in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            row: dict = {"customers": n}
            row["kit"] = child("kit", n, work, args.pythonpath)
            kit = Path(row["kit"].pop("path"))
            cost = count(kit)
            row["cells_referenced"], row["formulas"] = cost["cells_referenced"], cost["formulas"]
            row["top"] = cost["top"][:5]
            if not args.no_floor:
                child("layout", n, work, args.pythonpath)
                row["floor"] = child("floor", n, work, args.pythonpath)
                row["floor"].pop("path")
                row["ratio"] = round(row["kit"]["cpu_s"] / row["floor"]["cpu_s"], 2)
            if n in args.lo:
                row["lo_keep"] = libreoffice(kit, recalc=False)
                row["lo_recalc"] = libreoffice(kit, recalc=True)
                row["lo_recalc_extra_cpu_s"] = round(
                    row["lo_recalc"]["cpu_s"] - row["lo_keep"]["cpu_s"], 2
                )
        results.append(row)
        fl = row.get("floor", {})
        print(f"{n:>9} {row['kit']['cpu_s']:>9.1f} {row['kit']['wall_s']:>7.1f}"
              f" {fl.get('cpu_s', float('nan')):>11.1f} {row.get('ratio', float('nan')):>5.2f}"
              f" {row['kit']['peak_mb']:>6} {row['cells_referenced']:>14,}"
              f" {row.get('lo_keep', {}).get('cpu_s', float('nan')):>9.1f}"
              f" {row.get('lo_recalc', {}).get('cpu_s', float('nan')):>11.1f}", flush=True)
        if not args.json:
            continue
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(
            {"machine_cpus": os.cpu_count(), "python": sys.version.split()[0],
             "source": args.pythonpath or "this tree", "results": results}, indent=1))


if __name__ == "__main__":
    main()
