"""UDFs: one vectorised call over 10,000 rows against one call per cell.

    python benchmarks/udfs.py [--rows 10000]

Prints, for SP_COMPLETION, SP_SPLIT and SP_AGEING, the time of one call over the whole
column (what a spilling formula does) and of the per-cell loop (one formula per row), and
their ratio. Only the Python side is measured: in Excel each call also costs a COM round
trip and xlwings' argument conversion, which makes the per-cell loop slower still.

SP_SPLIT per cell means every row's formula splits the whole total again and keeps its own
part (``=INDEX(SP_SPLIT($B$1,$A$2:$A$10001),ROW()-1)``): that loop is quadratic, so a
sample of rows is timed and scaled to all rows (marked "scaled").
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from salesplan_xl.udfs import (
    SP_AGEING,
    SP_COMPLETION,
    SP_CREDIT_GRADE,
    SP_CREDIT_USAGE,
    SP_FORECAST,
    SP_GROWTH,
    SP_SPLIT,
)


def _best(fn, repeat: int = 3) -> float:
    """The least CPU time (process time: what a shared machine does not inflate) of
    ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _row(name: str, whole: float, per_cell: float, note: str = "") -> None:
    print(
        f"{name:<14} vectorised {whole * 1000:9.1f} ms   per cell {per_cell * 1000:11.1f} ms"
        f"{note:<9}  ratio {per_cell / whole:8.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--split-sample", type=int, default=50, help="rows timed for SP_SPLIT per cell"
    )
    parser.add_argument("--json", help="write the element-wise timings here")
    args = parser.parse_args()
    n = args.rows
    rng = random.Random(20240101)

    # xlwings passes ranges as 2-D lists, numbers as floats, empty cells as None
    actual = [[None if rng.random() < 0.05 else round(rng.uniform(0, 1e6), 2)] for _ in range(n)]
    plan = [[0.0 if rng.random() < 0.05 else round(rng.uniform(1, 1e6), 2)] for _ in range(n)]
    weights = [[None if rng.random() < 0.02 else round(rng.uniform(0, 5e5), 2)] for _ in range(n)]
    as_of = dt.datetime(2024, 12, 31)
    dues = [[as_of - dt.timedelta(days=rng.randint(-60, 800))] for _ in range(n)]
    total = 123_456_789.0

    print(f"{n} rows, Python {'.'.join(map(str, __import__('sys').version_info[:3]))}")

    whole = _best(lambda: SP_COMPLETION(actual, plan))
    per_cell = _best(lambda: [SP_COMPLETION(a[0], p[0]) for a, p in zip(actual, plan, strict=True)])
    assert SP_COMPLETION(actual, plan)[7][0] == SP_COMPLETION(actual[7][0], plan[7][0])
    _row("SP_COMPLETION", whole, per_cell)

    whole = _best(lambda: SP_SPLIT(total, weights, 100))
    parts = SP_SPLIT(total, weights, 100)
    assert round(sum(p[0] for p in parts), 2) == total
    k = min(args.split_sample, n)
    sample = _best(lambda: [SP_SPLIT(total, weights, 100)[i][0] for i in range(k)], repeat=1)
    _row("SP_SPLIT", whole, sample * n / k, " (scaled)")

    whole = _best(lambda: SP_AGEING(dues, as_of))
    per_cell = _best(lambda: [SP_AGEING(d[0], as_of) for d in dues])
    assert SP_AGEING(dues, as_of)[3][0] == SP_AGEING(dues[3][0], as_of)
    _row("SP_AGEING", whole, per_cell, " (dates)")

    # the element-wise functions over a block of numbers (the numpy path, planning.arrays)
    days = [[None if rng.random() < 0.02 else float(rng.randint(-30, 800))] for _ in range(n)]
    scores = [[None if rng.random() < 0.02 else round(rng.uniform(0, 100), 1)] for _ in range(n)]
    progress = [[round(rng.uniform(0.01, 1), 4)] for _ in range(n)]
    print(f"element-wise over a block of {n} numbers (CPU, best of 11; target <= 5 ms):")
    results = {}
    for name, call in [
        ("SP_COMPLETION", lambda: SP_COMPLETION(actual, plan)),
        ("SP_GROWTH", lambda: SP_GROWTH(actual, plan)),
        ("SP_FORECAST", lambda: SP_FORECAST(actual, progress)),
        ("SP_CREDIT_USAGE", lambda: SP_CREDIT_USAGE(actual, plan)),
        ("SP_CREDIT_GRADE", lambda: SP_CREDIT_GRADE(scores)),
        ("SP_AGEING(days)", lambda: SP_AGEING(days)),
    ]:
        results[name] = _best(call, repeat=11) * 1000
        print(f"  {name:<16} {results[name]:7.2f} ms")
    if args.json:
        import json

        with open(args.json, "w") as fh:
            json.dump({"rows": n, "elementwise_ms": results}, fh, indent=1)


if __name__ == "__main__":
    main()
