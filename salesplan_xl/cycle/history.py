"""The history store: an embedded SQLite file (standard library) beside plan.toml.

It keeps what users typed into their kits: the monthly actual sales per customer
(the numbers the next year is planned from) and, as an archive, every value of every
input cell, by file, sheet and cell. Schema migrations are versioned::

    >>> import tempfile, pathlib
    >>> store = HistoryStore(pathlib.Path(tempfile.mkdtemp()) / "history.sqlite")
    >>> store.version
    2
    >>> store.save_monthly_sales("kit.xlsx", 2026, [("C1", 10, 1200.5)])
    >>> store.monthly_sales(2026)
    [('C1', 10, 1200.5)]
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

#: Each step brings the schema from version i to i + 1.
MIGRATIONS = (
    """
    CREATE TABLE collected (
        workbook TEXT NOT NULL, sha256 TEXT NOT NULL, year INTEGER NOT NULL, scope TEXT NOT NULL,
        PRIMARY KEY (workbook, year));
    CREATE TABLE monthly_sales (
        year INTEGER NOT NULL, month INTEGER NOT NULL, customer_id TEXT NOT NULL,
        amount REAL NOT NULL, workbook TEXT NOT NULL,
        PRIMARY KEY (year, month, customer_id));
    CREATE TABLE archive (
        workbook TEXT NOT NULL, year INTEGER NOT NULL, sheet TEXT NOT NULL, cell TEXT NOT NULL,
        value TEXT, PRIMARY KEY (workbook, year, sheet, cell));
    """,
    # 2: kits collected through their defined names and identity (salesplan collect):
    # every typed fact with its provenance; a kit is one (year, company, scope).
    """
    CREATE TABLE kits (
        year INTEGER NOT NULL, company TEXT NOT NULL, scope TEXT NOT NULL,
        file TEXT NOT NULL, sha256 TEXT NOT NULL, inputs TEXT NOT NULL,
        lang TEXT NOT NULL, formulas TEXT NOT NULL,
        PRIMARY KEY (year, company, scope));
    CREATE TABLE facts (
        year INTEGER NOT NULL, company TEXT NOT NULL, scope TEXT NOT NULL,
        sheet_id TEXT NOT NULL, field TEXT NOT NULL, row_key TEXT NOT NULL,
        value TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, cell TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (year, company, scope, sheet_id, field, row_key));
    """,
)


class HistoryStore:
    """Open (and create or migrate) the store at ``path``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = sqlite3.connect(self.path)
        self._migrate()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        for target, script in enumerate(MIGRATIONS, start=1):
            if self.version < target:
                with self.db:
                    self.db.executescript(script)
                    self.db.execute(f"PRAGMA user_version = {target}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def record_workbook(self, workbook: str, sha256: str, year: int, scope: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO collected VALUES (?, ?, ?, ?)",
                (workbook, sha256, year, scope),
            )

    def save_monthly_sales(
        self, workbook: str, year: int, rows: Iterable[tuple[str, int, float]]
    ) -> None:
        """(customer_id, month, amount) rows; a later collection of the same month wins."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO monthly_sales VALUES (?, ?, ?, ?, ?)",
                [(year, month, cid, amount, workbook) for cid, month, amount in rows],
            )

    def monthly_sales(self, year: int) -> list[tuple[str, int, float]]:
        return self.db.execute(
            "SELECT customer_id, month, amount FROM monthly_sales WHERE year = ? ORDER BY customer_id, month",
            (year,),
        ).fetchall()

    def archive(self, workbook: str, year: int, cells: Iterable[tuple[str, str, object]]) -> int:
        """Keep (sheet, cell, value) of every input cell; returns how many."""
        rows = [
            (workbook, year, sheet, cell, None if value is None else str(value))
            for sheet, cell, value in cells
        ]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO archive VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def archived(self, year: int) -> int:
        return self.db.execute("SELECT COUNT(*) FROM archive WHERE year = ?", (year,)).fetchone()[0]
