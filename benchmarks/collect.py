"""Reading and collecting filled kits: CPU time and peak memory, in child processes.

    python benchmarks/collect.py                      # 300, 3k and 10k customers
    python benchmarks/collect.py --customers 3000 --json out.json

For each size a demo kit is built (not measured), then, each in its own child process:

* ``read``: every input cell of every list sheet read through the kit's defined names
  (``cycle.collect.read_facts``: calamine values, formula cells from a scan of the XML);
* ``collect``: ``collect_kits`` into a new SQLite store (read + one transaction);
* ``audit``: ``audit.audit_kit`` (identities, overwritten formulas, input types).

CPU (user + sys of the child, the primary figure on a shared machine) and wall time are
printed with the child's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import resource, sys, json
mode, kit, work = sys.argv[1], sys.argv[2], sys.argv[3]
import salesplan_xl.cycle.collect, salesplan_xl.audit  # imports not measured
cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
if mode == "read":
    from salesplan_xl.audit import KitBook
    from salesplan_xl.cycle.collect import read_facts
    with KitBook(kit) as book:
        facts, rejected, typed = read_facts(book, "kit")
    n = len(facts)
elif mode == "collect":
    from salesplan_xl.cycle.collect import collect_kits
    n = collect_kits([kit], work + "/history.sqlite").kits[0].stored
else:
    from salesplan_xl.audit import audit_kit
    n = len(audit_kit(kit).identities)
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0
print(json.dumps({"cpu": cpu, "n": n, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, kit: str, work: str) -> dict:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, kit, work], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, nargs="+", default=[300, 3000, 10000])
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    from salesplan_xl.kit import build_demo_kit

    results = []
    for n in args.customers:
        with tempfile.TemporaryDirectory() as work:
            kit = str(build_demo_kit(work, customers=n))
            for mode in ("read", "collect", "audit"):
                r = run(mode, kit, work) | {"customers": n, "mode": mode}
                results.append(r)
                print(
                    f"{n:>6} {mode:<8} cpu {r['cpu']:7.2f} s  wall {r['wall']:7.2f} s  "
                    f"peak {r['peak_mb']:6.0f} MB  ({r['n']})",
                    flush=True,
                )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
