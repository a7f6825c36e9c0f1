"""Batch throughput: kits per second with 1, 2, ... worker processes, in one run.

    python benchmarks/batch.py                     # 1,000 customers by department, -j 1 and 2
    python benchmarks/batch.py --customers 3000 --by region --jobs 1 2

The demo company's plan.toml and data (CSV) are written once; each run builds every kit
of the batch into a fresh folder (nothing kept from a manifest). Printed: wall time (the
figure a batch is about), kits per wall second, the CPU time of the worker processes
(user + sys of the children) and the speed-up against ``-j 1`` of the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys
from salesplan_xl.cycle.batch import build_batch
r = build_batch(sys.argv[1], sys.argv[2], sys.argv[3], by=sys.argv[4], jobs=int(sys.argv[5]))
print(len(r.kits))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--by", default="department")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    from salesplan_xl.config import default_plan_text
    from salesplan_xl.data.demo import demo_dataset

    results = []
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "plan.toml").write_text(default_plan_text(), encoding="utf-8")
        data = root / "data"
        data.mkdir()
        for name, frame in demo_dataset(customers=args.customers).tables().items():
            drop = [c for c in ("year", "month_num") if name == "sales"]
            frame.drop(columns=drop).to_csv(data / f"{name}.csv", index=False, date_format="%Y-%m-%d")
        base = None
        for jobs in args.jobs:
            out = root / f"out-j{jobs}"
            cpu0 = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2])
            started = time.perf_counter()
            kits = subprocess.run(
                [sys.executable, "-c", CHILD, str(root / "plan.toml"), str(data), str(out), args.by, str(jobs)],
                capture_output=True, text=True, check=True,
            ).stdout.split()[-1]
            wall = time.perf_counter() - started
            cpu = sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]) - cpu0
            base = base or wall
            r = {"jobs": jobs, "kits": int(kits), "wall": wall, "cpu": cpu, "speedup": base / wall}
            results.append(r)
            print(
                f"-j {jobs}: {r['kits']} kits  wall {wall:6.1f} s  {r['kits'] / wall:5.2f} kits/s  "
                f"cpu {cpu:6.1f} s  speed-up {r['speedup']:.2f}x",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
