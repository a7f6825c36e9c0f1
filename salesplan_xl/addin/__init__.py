"""Add-in building: the VBA project writer (more packaging to come)."""

from salesplan_xl.addin.cfb import write_compound_file
from salesplan_xl.addin.ovba_compression import compress, decompress
from salesplan_xl.addin.vba_project import (
    build_vba_project,
    workbook_document_modules,
    write_vba_project,
)
from salesplan_xl.addin.vba_source import VbaModule, load_module

__all__ = [
    "VbaModule",
    "build_vba_project",
    "compress",
    "decompress",
    "load_module",
    "workbook_document_modules",
    "write_compound_file",
    "write_vba_project",
]
