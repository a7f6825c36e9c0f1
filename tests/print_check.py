"""Print legibility: the size of every character as printed, read from the PDF that
LibreOffice renders (pdfminer.six: a character's size is its font size times the page's
print scale, in points)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Page:
    number: int
    text: str
    sizes: list[float]  # printed size (points) of every visible character
    lines: list[tuple[float, str]]  # (height above the page bottom, text) of every line

    @property
    def smallest(self) -> float | None:
        return min(self.sizes) if self.sizes else None


def pdf_pages(pdf: Path) -> list[Page]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextLine

    def walk(obj, chars: list, lines: list):
        if isinstance(obj, LTChar):
            chars.append(obj)
            return
        if isinstance(obj, LTTextLine):
            lines.append((obj.y0, obj.get_text().strip()))
        if hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, chars, lines)

    pages = []
    for i, layout in enumerate(extract_pages(str(pdf)), start=1):
        chars, lines = [], []
        walk(layout, chars, lines)
        visible = [c for c in chars if c.get_text().strip()]
        text = " ".join(t for _, t in lines)
        pages.append(Page(i, text, [round(c.size, 2) for c in visible], lines))
    return pages


def sheet_of_pages(pages: list[Page], tabs: list[str]) -> list[str | None]:
    """The sheet each page belongs to, from the page footer (the kit prints the sheet's
    name bottom left): the lowest line of the page that is a sheet's name."""
    names = set(tabs)
    out = []
    for p in pages:
        found = sorted((y, t) for y, t in p.lines if t in names)
        out.append(found[0][1] if found else None)
    return out
