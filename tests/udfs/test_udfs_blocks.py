"""A block of numbers goes through numpy (planning.arrays) and gives what the cell-by-cell
path gives; anything else in the block (text numbers, dates, inf) takes the cell path."""

from __future__ import annotations

import random

from salesplan_xl import udfs


def _col(values):
    return [[v] for v in values]


def test_block_results_equal_cell_by_cell():
    rng = random.Random(7)
    a = [None if rng.random() < 0.1 else round(rng.uniform(-1e5, 1e6), 2) for _ in range(300)]
    b = [rng.choice([None, 0.0, round(rng.uniform(1, 1e6), 2)]) for _ in range(300)]
    s = [None if rng.random() < 0.1 else round(rng.uniform(0, 100), 1) for _ in range(300)]
    p = [round(rng.uniform(0, 1), 3) for _ in range(300)]
    for fn in (udfs.SP_COMPLETION, udfs.SP_GROWTH, udfs.SP_CREDIT_USAGE):
        assert fn(_col(a), _col(b)) == [[fn(x, y)] for x, y in zip(a, b, strict=True)]
    assert udfs.SP_FORECAST(_col(a), _col(p)) == [
        [udfs.SP_FORECAST(x, y)] for x, y in zip(a, p, strict=True)
    ]
    assert udfs.SP_CREDIT_GRADE(_col(s)) == [[udfs.SP_CREDIT_GRADE(x)] for x in s]
    assert udfs.SP_AGEING(_col(b)) == [[udfs.SP_AGEING(x)] for x in b]
    # a row block, and one cell repeated over it
    assert udfs.SP_COMPLETION([a[:5]], 100.0) == [[udfs.SP_COMPLETION(x, 100.0) for x in a[:5]]]


def test_text_in_the_block_takes_the_cell_path():
    got = udfs.SP_COMPLETION([[50.0], ["¥100"], [float("inf")]], [[100.0], [200.0], [1.0]])
    assert got[:2] == [[0.5], [0.5]] and got[2][0].startswith("#SP! actual")
    assert udfs.SP_COMPLETION([[50.0], [float("inf")]], [[100.0], [1.0]])[1][0].startswith("#SP!")
    assert udfs.SP_COMPLETION([[50.0], ["abc"]], [[100.0], [1.0]])[1][0].startswith("#SP! ")
