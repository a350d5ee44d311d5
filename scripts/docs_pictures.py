"""Make the documentation's pictures of what easyread makes: page 1 and the contacts page of
jordan-plan and of the review letter, as the PDF and as LibreOffice lays out the Word file.

    .venv/bin/python scripts/docs_pictures.py      # writes docs/images/*-pages.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import easyread  # noqa: E402  (after the path, so a checkout works without installing)

EXAMPLES = ("jordan-plan", "jordan-review-letter")
CONTACTS = "Who to contact"
DPI = 60


def page_with(pdf: Path, text: str) -> int:
    """The number of the first page whose text holds `text`."""
    with pdfplumber.open(pdf) as document:
        return next(number for number, page in enumerate(document.pages, 1) if text in (page.extract_text() or ""))


def picture(pdf: Path, number: int, folder: Path) -> Image.Image:
    """One page drawn at DPI, with a thin grey border so a white page shows on a white screen."""
    stem = folder / f"{pdf.stem}-{number}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(number), "-l", str(number),
                    str(pdf), str(stem)], check=True)
    page = Image.open(stem.with_suffix(".png")).convert("RGB")
    framed = Image.new("RGB", (page.width + 2, page.height + 2), (150, 150, 150))
    framed.paste(page, (1, 1))
    return framed


def side_by_side(pages: list[Image.Image]) -> Image.Image:
    gap = 24
    sheet = Image.new("RGB", (sum(p.width for p in pages) + gap * (len(pages) - 1), max(p.height for p in pages)),
                      (255, 255, 255))
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + gap
    return sheet


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice is needed to lay out the Word files: apt-get install libreoffice-writer-nogui")
    out = ROOT / "docs" / "images"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in EXAMPLES:
            done = easyread.render(ROOT / "examples" / f"{name}.yaml", formats=["pdf", "docx"], outdir=folder,
                                   house_style=ROOT / "examples" / "house-style" / "northmoor.yaml")
            subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                            "--outdir", str(folder / "word"), str(done.paths[1])], check=True, capture_output=True)
            for kind, pdf in (("pdf", done.paths[0]), ("word", folder / "word" / f"{name}.pdf")):
                pages = [picture(pdf, 1, folder), picture(pdf, page_with(pdf, CONTACTS), folder)]
                target = out / f"{name}-{kind}-pages.png"
                side_by_side(pages).save(target, optimize=True)
                print(f"{target.relative_to(ROOT)}: pages 1 and {page_with(pdf, CONTACTS)}")


if __name__ == "__main__":
    main()
