"""Build time and peak memory of the kit, against XlsxWriter writing the same cells.

    python benchmarks/build.py                 # demo (300) and 10,000 customers
    python benchmarks/build.py --customers 300 2000

For each size, three child processes (so peak RSS is per measurement):

* ``kit``: ``salesplan_xl.kit.build_demo_kit`` end to end (demo data, planning, layout,
  rendering with validations, conditional formats, tables, protection);
* ``baseline``: plain XlsxWriter writing exactly the same cells (values, formulas with
  cached values) with the same formats, read from a pickle made beforehand and not timed.

The figure that matters is the ratio kit / baseline (target ≤ 1.5) and the kit's peak
memory (target < 1 GB); the demo kit should take well under 2 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, pickle, resource, sys, time, datetime as dt
mode, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import pandas, xlsxwriter, salesplan_xl.kit, salesplan_xl.sheets.build  # imports are not timed
t = time.perf_counter()
if mode == "kit":
    from salesplan_xl.kit import build_demo_kit
    build_demo_kit(work, customers=n)
elif mode == "layout":
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import lay_out_kit, make_context
    plan = demo_plan()
    ctx = make_context(plan, demo_dataset(customers=n, as_of=plan.as_of))
    sheets = [(lay.name, [c for c in lay.cells], lay.merges, lay.widths) for lay in lay_out_kit(ctx)]
    with open(work + "/cells.pickle", "wb") as fh:
        pickle.dump(sheets, fh, protocol=pickle.HIGHEST_PROTOCOL)
else:
    import xlsxwriter
    from salesplan_xl.render.theme import Theme
    with open(work + "/cells.pickle", "rb") as fh:
        sheets = pickle.load(fh)
    t = time.perf_counter()
    wb = xlsxwriter.Workbook(work + "/baseline.xlsx", {"strings_to_formulas": False, "strings_to_numbers": False,
                                                       "strings_to_urls": False})
    theme = Theme(wb)
    def fmt(kind, role):
        if role in ("data", "input", "computed", "subtotal", "total"):
            return theme.cell(kind, role)
        return theme.header() if role == "header" else theme.subtitle()
    epoch = dt.datetime(1899, 12, 30)
    for name, cells, merges, widths in sheets:
        ws = wb.add_worksheet(name)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        for r1, c1, r2, c2, value, role in merges:
            ws.merge_range(r1, c1, r2, c2, str(value), theme.title())
        for r, c, value, formula, kind, role in cells:
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
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, n: int, work: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(n), str(work)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, nargs="+", default=[300, 10_000])
    args = ap.parse_args()
    print(
        f"{'customers':>9}  {'kit s':>7}  {'baseline s':>10}  {'ratio':>5}  {'kit MB':>7}  {'baseline MB':>11}"
    )
    for n in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            run("layout", n, work)  # untimed: the cells the baseline writes
            base = run("baseline", n, work)
            kit = run("kit", n, work)
        print(
            f"{n:>9}  {kit['seconds']:>7.2f}  {base['seconds']:>10.2f}  {kit['seconds'] / base['seconds']:>5.2f}"
            f"  {kit['peak_mb']:>7.0f}  {base['peak_mb']:>11.0f}"
        )


if __name__ == "__main__":
    main()
