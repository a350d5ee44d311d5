"""Make the documentation's pictures of what easyread makes: the pages a council would look at first, as the
PDF and as LibreOffice lays out the Word file.

    .venv/bin/python scripts/docs_pictures.py      # writes docs/images/*.png

Each picture is named after what it shows (see PICTURES below); docs/layout.md and the README show them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import easyread  # noqa: E402  (after the path, so a checkout works without installing)
from easyread.inputs.loader import read_yaml  # noqa: E402

HOUSE = ROOT / "examples" / "house-style" / "northmoor.yaml"
DPI = 60

# picture name -> its pages, side by side: (example, profile, format, a page number or the first page holding these words)
Page = tuple[str, str, str, "int | str"]
PICTURES: dict[str, list[Page]] = {
    "cover-and-most-important-things": [("jordan-plan", "easy-read", "pdf", n) for n in (1, 2, 3)],
    "content-week-and-contacts": [("jordan-plan", "easy-read", "pdf", words) for words in
                                  ("What you need help with", "Your week", "Who to contact")],
    "agreement-asked-and-recorded": [("jordan-plan-asked", "easy-read", "pdf", "Do you agree with this plan?"),
                                     ("jordan-plan", "easy-read", "pdf", "What you said about this plan")],
    "one-page-profile": [("ellie-one-page-profile", "easy-read", "pdf", 1), ("ellie-one-page-profile", "easy-read", "docx", 1),
                         ("ellie-one-page-profile", "large-print", "pdf", 1)],
    "hospital-passport-first-pages": [("ellie-hospital-passport", "easy-read", "pdf", n) for n in (1, 2)],
    "word-cover-and-most-important-things": [("jordan-plan", "easy-read", "docx", n) for n in (1, 2)],
    "large-print-pages": [("margaret-plan", "large-print", "pdf", words) for words in ("About you", "Who to contact")],
}


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


def source(name: str) -> Path | dict[str, Any]:
    """An example, or jordan-plan with no agreement recorded yet (so its agreement asks)."""
    if name != "jordan-plan-asked":
        return ROOT / "examples" / f"{name}.yaml"
    plan = read_yaml((ROOT / "examples" / "jordan-plan.yaml").read_text(encoding="utf-8"))
    plan["agreement"] = {"status": "not-asked-yet"}
    for item in (plan["person"], plan["worker"], *plan["contacts"], *plan["people_who_help"]):
        if "photo" in item:  # found beside the example
            item["photo"]["file"] = str(ROOT / "examples" / item["photo"]["file"])
    return plan


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice is needed to lay out the Word files: apt-get install libreoffice-writer-nogui")
    out = ROOT / "docs" / "images"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        made: dict[tuple[str, str, str], Path] = {}

        def laid_out(name: str, profile: str, fmt: str) -> Path:
            """The PDF of an example: easyread's own, or LibreOffice's of the Word file; made once."""
            if (name, profile, fmt) not in made:
                where = folder / f"{name}-{profile}-{fmt}"
                path = easyread.render(source(name), formats=[fmt], profile=profile, outdir=where, stem=name,
                                       house_style=HOUSE).paths[0]
                if fmt == "docx":
                    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to",
                                    "pdf", "--outdir", str(where / "word"), str(path)], check=True, capture_output=True)
                    path = where / "word" / f"{path.stem}.pdf"
                made[(name, profile, fmt)] = path
            return made[(name, profile, fmt)]

        for target, wanted in PICTURES.items():
            pages = []
            for name, profile, fmt, page in wanted:
                pdf = laid_out(name, profile, fmt)
                pages.append(picture(pdf, page if isinstance(page, int) else page_with(pdf, page), folder))
            path = out / f"{target}.png"
            side_by_side(pages).save(path, optimize=True)
            print(f"{path.relative_to(ROOT)}: {', '.join(f'{n} {p} {f} {page}' for n, p, f, page in wanted)}")


if __name__ == "__main__":
    main()
