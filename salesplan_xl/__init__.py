"""salesplan_xl: the yearly sales-plan and customer-management workbook kit."""

__version__ = "0.1.0"
