"""PNG screenshots of kit sheets for the docs: build the demo kit with the chosen sheets
(plus the 参数 and 客户查询 sheets they need), print it to PDF with LibreOffice, find
each sheet's first page by its title and render it with ``pdftoppm``.

    python docs/make_screenshots.py                      # the default forms
    python docs/make_screenshots.py 9.3.10 P6 --dpi 100  # any sheet ids

Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

DEFAULT_SHEETS = ("9.3.11", "9.3.10", "9.3.19", "P6")
SUPPORT = ("P1", "LK")  # 参数 (named settings) and the hidden customer lookup
HERE = Path(__file__).resolve().parent


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of ``pdf``."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def first_pages(pdf: Path, titles: dict[str, str]) -> dict[str, int]:
    """Sheet id -> 1-based number of the first page whose text holds the sheet's title."""
    found: dict[str, int] = {}
    squeeze = str.maketrans("", "", " \u3000")
    for n, text in enumerate(page_texts(pdf), start=1):
        flat = text.translate(squeeze)
        for sid, title in titles.items():
            if sid not in found and title.translate(squeeze) in flat:
                found[sid] = n
    return found


def make_screenshots(
    sheets: tuple[str, ...] = DEFAULT_SHEETS,
    out_dir: Path = HERE / "screenshots",
    dpi: int = 80,
    customers: int = 120,
) -> list[Path]:
    from salesplan_xl.config import demo_plan
    from salesplan_xl.data.demo import demo_dataset
    from salesplan_xl.kit import build_kit
    from salesplan_xl.libreoffice import convert
    from salesplan_xl.sheets.spec import load_specs

    plan = demo_plan()
    specs = tuple(s for s in load_specs() if s.id in sheets or s.id in SUPPORT)
    missing = set(sheets) - {s.id for s in specs}
    if missing:
        raise SystemExit(f"unknown sheet ids: {', '.join(sorted(missing))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="shots-") as tmp:
        tmp = Path(tmp)
        kit = build_kit(plan, demo_dataset(customers=customers, as_of=plan.as_of), tmp, specs=specs)
        pdf = convert(kit, tmp / "pdf", "pdf")
        titles = {s.id: s.display_name() for s in specs if s.id in sheets}
        pages = first_pages(pdf, titles)
        for sid in sheets:
            if sid not in pages:
                print(f"{sid}: title not found in the PDF")
                continue
            stem = out_dir / f"{sid.replace('.', '_')}"
            n = pages[sid]
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-png", "-f", str(n), "-l", str(n), "-singlefile",
                 str(pdf), str(stem)],
                check=True,
            )  # fmt: skip
            written.append(stem.with_suffix(".png"))
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sheets", nargs="*", default=list(DEFAULT_SHEETS), help="sheet ids")
    ap.add_argument("--out", type=Path, default=HERE / "screenshots")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--customers", type=int, default=120)
    args = ap.parse_args()
    for path in make_screenshots(tuple(args.sheets), args.out, args.dpi, args.customers):
        print(path)


if __name__ == "__main__":
    main()
