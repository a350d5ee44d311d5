"""The picture review sheet: every line of a document beside its picture, why it was chosen, and how to change it.

For the people who sign easy-read documents off (`easyread symbols review plan.yaml -o sheet.html`):
they approve each picture or override it, with one line in the plan (`symbol:` on the words) or
a file in the council's picture folder, before anything goes to the person.
"""

from __future__ import annotations

import base64
import html
import json
from collections import Counter
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from easyread.document import ContactCard, Document, Line, Pictured, Quote, Row, Section, Statement, pictured_blocks

_KINDS = {Section: "heading", Quote: "own words", ContactCard: "contact", Row: "table row"}
SOURCES = {  # symbol_source -> what a reviewer reads
    "template": "fixed by the template", "plan": "named in the plan", "words": "chosen from the words",
    "default": "the template's default", "person": "the reader's own picture",
    "photo": "the photo of someone it names", "none": "none on purpose",
}


@dataclass(frozen=True)
class ReviewRow:
    """One line of the document, as a reviewer sees it."""

    number: int
    kind: str  # statement, heading, own words, contact
    section: str
    text: str
    symbol: str | None
    alt: str | None
    source: str
    reason: str
    change: str  # where an override goes


def rows(document: Document) -> list[ReviewRow]:
    """Every block that can carry a picture, in reading order, with its picture and the reason."""
    found: list[ReviewRow] = []
    section = ""
    for block in pictured_blocks(document):
        if isinstance(block, Section):
            section = block.title if block.level == 2 else section
        ref = document.symbols.get(block.symbol) if block.symbol else None
        found.append(ReviewRow(
            number=len(found) + 1,
            kind=next((name for kind, name in _KINDS.items() if isinstance(block, kind)), "statement"),
            section=section,
            text=_text(block),
            symbol=block.symbol,
            alt=ref.alt if ref else None,
            source=SOURCES.get(block.symbol_source or "", "no picture"),
            reason=block.symbol_reason or ("no picture" if block.symbol is None else ""),
            change=_how_to_change(block),
        ))
    return found


def _text(block: Pictured) -> str:
    if isinstance(block, Section):
        return block.title
    if isinstance(block, (Line, Row)):
        return block.text
    if isinstance(block, ContactCard):
        return " - ".join(part for part in (block.get("name"), block.get("role")) if part)
    return ""


def _how_to_change(block: Pictured) -> str:
    """Where a reviewer overrides this picture: the plan's words, or the template line."""
    source = getattr(block, "source", None)
    fields = [field for field in (source.fields if source else []) if not field.endswith(".easy_read")] or \
        [field.removesuffix(".easy_read") for field in (source.fields if source else [])]
    if fields and block.symbol_source != "template" and not isinstance(block, Quote):  # own words are plain text
        return f"add `symbol: NAME` (or `symbol: none`) to the words at {fields[0]}"
    if source is not None and source.template and source.line:
        return f"change the :name: at {source.template} line {source.line}"
    return ""


def write(document: Document, out: Path) -> Path:
    """Write the review sheet as .html, .pdf or .json, by the file's suffix."""
    from easyread.cache import write_whole

    found = rows(document)
    suffix = out.suffix.lower()
    if suffix == ".json":
        data = json.dumps({"title": document.title, "summary": summary(found), "rows": [asdict(r) for r in found]},
                          indent=2, ensure_ascii=False).encode()
    elif suffix == ".pdf":
        data = _pdf(document, found)
    else:
        data = _html(document, found).encode()
    write_whole(out, data)
    return out


def summary(found: list[ReviewRow]) -> dict[str, object]:
    """How many lines have a picture, where the pictures came from, and the most used."""
    lines = [row for row in found if row.kind == "statement"]
    pictured = [row for row in lines if row.symbol]
    most = Counter(row.symbol for row in found if row.symbol).most_common(5)
    return {"statements": len(lines), "with_picture": len(pictured),
            "sources": dict(Counter(row.source for row in found)),
            "most_used": [{"symbol": name, "times": times} for name, times in most]}


def _png(document: Document, name: str | None, px: int = 96) -> tuple[bytes, str] | None:
    """A picture's bytes and media type, at review size."""
    if not name or name not in document.symbols:
        return None
    from easyread.symbols.raster import picture

    made = picture(document.symbols[name], px)
    data = made if isinstance(made, bytes) else Path(made).read_bytes()
    kind = "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/gif" if data[:4] == b"GIF8" else "image/png"
    return data, kind


def _html(document: Document, found: list[ReviewRow]) -> str:
    """A self-contained, accessible web page: a table of lines, pictures and reasons."""
    totals = summary(found)
    cells = []
    for row in found:
        made = _png(document, row.symbol)
        image = (f'<img src="data:{made[1]};base64,{base64.b64encode(made[0]).decode()}" alt="{html.escape(row.alt or "")}" '
                 'width="64" height="64">' if made else "")
        name = f"<code>:{html.escape(row.symbol)}:</code>" if row.symbol else "none"
        cells.append(
            f"<tr class=\"{html.escape(row.kind.replace(' ', '-'))}\"><td>{row.number}</td><td>{image}<br>{name}</td>"
            f"<td>{html.escape(row.text)}<br><small>{html.escape(row.kind)} in {html.escape(row.section)}</small></td>"
            f"<td><b>{html.escape(row.source)}</b><br>{html.escape(row.reason)}</td>"
            f"<td>{html.escape(row.change)}</td><td aria-label=\"approved\">&#9744;</td></tr>")
    title = html.escape(f"Pictures to review: {document.title}")
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Atkinson Hyperlegible", Arial, sans-serif; margin: 1.5rem; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: .4rem; vertical-align: top; text-align: left; }}
tr.heading td {{ background: #eef3f8; font-weight: bold; }}
tr {{ break-inside: avoid; }}
code {{ font-size: .9em; }}
</style></head><body>
<h1>{title}</h1>
<p>{totals['with_picture']} of {totals['statements']} statements have a picture. Tick each picture you approve.
To change one, follow the last column: one line in the plan, or a file in your council's picture folder
with the symbol's name.</p>
<table><thead><tr><th scope="col">#</th><th scope="col">Picture</th><th scope="col">Words</th>
<th scope="col">Why this picture</th><th scope="col">How to change it</th><th scope="col">OK?</th></tr></thead>
<tbody>
{chr(10).join(cells)}
</tbody></table></body></html>
"""


def _pdf(document: Document, found: list[ReviewRow]) -> bytes:
    """A tagged PDF (PDF/UA-1, through typst) of the same table."""
    import typst

    from easyread.presentation.fonts import FONT
    from easyread.scratch import scratch_folder
    from easyread.writers.pdf import printable, typst_fonts

    layout = resources.files("easyread").joinpath("templates", "picture_review.typ").read_bytes()
    fonts = typst_fonts()
    with scratch_folder("easyread-review-") as root:
        entries = []
        for row in found:
            made = _png(document, row.symbol)
            picture = None
            if made:
                picture = f"p{row.number}.{made[1].split('/')[1]}"
                (root / picture).write_bytes(made[0])
            entries.append({**asdict(row), "picture": picture})
        main = root / "review.typ"
        main.write_bytes(layout)
        data = printable({"title": f"Pictures to review: {document.title}", "summary": summary(found),
                          "rows": entries, "font": FONT})
        return typst.compile(str(main), root=str(root), font_paths=fonts, sys_inputs={"review": json.dumps(data)},
                             pdf_standards=["ua-1"])



@dataclass(frozen=True)
class Score:
    """How well a document's pictures match a judged key: for each statement, the pictures that would be right."""

    statements: int
    pictured: int
    right: int
    opposite: list[str]  # statements whose picture says the opposite of the words
    wrong: list[str]  # statements whose picture is not one the key allows
    unjudged: list[str]  # statements the key does not cover
    most_used: tuple[str, float]  # the most used picture and its share of all pictures

    @property
    def precision(self) -> float:
        """Of the statements with a picture, the share whose picture the key allows."""
        return self.right / self.pictured if self.pictured else 1.0

    @property
    def coverage(self) -> float:
        """The share of statements with a picture."""
        return self.pictured / self.statements if self.statements else 0.0


def score(document: Document, key: list[dict[str, Any]]) -> Score:
    """Compare a document's pictures with a judged key (entries of `text`, `right` names and `opposite` names).

    A person's photo counts as `photo`; the reader's own picture (their photo, or the person picture
    their pronouns choose) counts as `you`.
    """
    judged = {str(entry["text"]): entry for entry in key}
    # a line with no picture on purpose (a detail under its lead-in's picture, `:none:`) is not one that lacks one
    lines = [block for block in pictured_blocks(document) if isinstance(block, Statement) and block.symbol_source != "none"]
    pictured = right = 0
    opposite, wrong, unjudged = [], [], []
    for line in lines:
        entry = judged.get(line.text)
        if entry is None:
            unjudged.append(line.text)
            continue
        if line.symbol is None:
            continue
        pictured += 1
        name = _judged_name(document, line)
        if name in (entry.get("right") or []):
            right += 1
        else:
            wrong.append(f"{line.text} -> :{name}:")
        if name in (entry.get("opposite") or []):
            opposite.append(f"{line.text} -> :{name}:")
    from easyread.readability import pictures_shown

    used = Counter(pictures_shown(document))  # by picture: a pound note is one picture under any name
    top = used.most_common(1)
    most = (top[0][0], top[0][1] / sum(used.values())) if top else ("", 0.0)
    return Score(len(lines) - len(unjudged), pictured, right, opposite, wrong, unjudged, most)


def _judged_name(document: Document, line: Statement) -> str:
    if line.symbol_source == "person":
        return "you"
    ref = document.symbols.get(line.symbol or "")
    return "photo" if ref is not None and ref.source == "photo" else line.symbol or ""
