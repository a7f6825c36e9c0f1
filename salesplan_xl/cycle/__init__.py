"""The year cycle: collect filled kits into the history store and roll over to next year."""

from .rollover import collect_workbook, next_year, rollover_workbook

__all__ = ["collect_workbook", "next_year", "rollover_workbook"]
