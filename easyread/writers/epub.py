"""Read-along EPUB 3 writer: the web page's text and pictures as a book, each sentence with its audio.

The content documents are the HTML writer's blocks (templates/_html_blocks.j2) and style, one for
the title and opening lines and one for each main section, written as XHTML. The navigation
document lists the sections and their subsections. The package carries the schema.org
accessibility metadata (EPUB Accessibility 1.1, WCAG 2.2 AA) and Atkinson Hyperlegible.

Media overlays (SMIL): every piece of text in a content document (a heading, a sentence, a list
item, a table row, a word and its meaning, a contact card) has an id and a clip of its section's
MP3, so a reading app highlights the words being spoken. Each is said on its own by the render's
voice (the audio writer's engines), so where it starts and ends is known exactly; what is said
is the text as shown, said the way a person would (easyread.presentation.script.say). With `read_along: false`
in the profile, the book has no audio and no overlays.

A book is the same bytes for the same input: the zip's times are the render's time (made_at), its
identifier is made from its content, and the voices give the same audio for the same words.
"""

from __future__ import annotations

import html as markup
import io
import os
import re
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from easyread.document import Document, full_stop
from easyread.language.sentences import split
from easyread.presentation.layout import Layout
from easyread.presentation.script import say
from easyread.writers import made_at
from easyread.writers.html import Model as PageModel
from easyread.writers.html import environment, image_type
from easyread.writers.plan import Clips, RenderPlan

if TYPE_CHECKING:
    from easyread.writers.audio import SpeechEngine

MIMETYPE = "application/epub+zip"  # the book's first entry, stored
ACTIVE_CLASS = "-epub-media-overlay-active"  # the class a reading app gives the sentence being spoken
FONTS = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
SUFFIXES = {"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
# the elements that hold a piece of text, each said and highlighted as one: the innermost of these
UNIT_TAGS = {"h1", "h2", "h3", "p", "li", "tr", "caption"}
EXTRA_CSS = """
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: normal; src: url("fonts/AtkinsonHyperlegible-Regular.ttf"); }
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: bold; src: url("fonts/AtkinsonHyperlegible-Bold.ttf"); }
.%s { background-color: #FFF3A0; color: #000000; }
""" % ACTIVE_CLASS


@dataclass
class Unit:
    """A piece of text in a content document: its element's id and the words said for it."""

    id: str
    spoken: str


@dataclass
class Chapter:
    """A content document: the title page or one main section, and its read-along audio."""

    name: str  # "part-01", the stem of its XHTML, SMIL and MP3 files
    title: str
    blocks: list[dict[str, Any]]
    first: bool = False
    last: bool = False
    xhtml: str = ""
    units: list[Unit] = field(default_factory=list)
    clips: list[tuple[int, int]] = field(default_factory=list)  # each unit's start and end, in milliseconds
    audio: bytes = b""


class Model(PageModel):
    """The web page's model, with pictures as files in the book rather than data URIs."""

    narrow_lists = False  # the timetable once, as a table: a hidden day-by-day copy would be read aloud too

    def __init__(self, document: Document, layout: Layout) -> None:
        super().__init__(document, layout)
        self.images: dict[str, tuple[str, str, bytes]] = {}  # a picture's file -> its name in the book, type, bytes
        self.ids["title"] = 1  # the title page's h1: a section called "Title" is "title-2"

    def data_uri(self, path: Path | str) -> str:
        """A picture's name in the book, "images/picture-3.svg"."""
        source = str(path)
        if source not in self.images:
            data = Path(source).read_bytes()
            kind = image_type(source, data)
            self.images[source] = (f"images/picture-{len(self.images) + 1}{SUFFIXES[kind]}", kind, data)
        return self.images[source][0]


def chapters(model: dict[str, Any]) -> list[Chapter]:
    """The title page (the title and what comes before the first section), then one chapter per section."""
    opening: list[dict[str, Any]] = []
    parts = [Chapter("part-01", model["title"], opening, first=True)]
    for block in model["blocks"]:
        if block["type"] == "section":
            title = "".join(run["text"] for run in block["runs"])
            parts.append(Chapter(f"part-{len(parts) + 1:02d}", title, [block]))
        else:
            opening.append(block)
    parts[-1].last = True
    return parts


def _lines(element: Any) -> list[str]:
    """An element's text as lines, broken where it has <br>."""
    lines = [element.text or ""]
    for child in element:
        if child.tag == "br":
            lines.append("")
        else:
            lines[-1] += "".join(child.itertext())
        lines[-1] += child.tail or ""
    return [" ".join(line.split()) for line in lines if line.strip()]


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def spoken(element: Any) -> str:
    """What is said for a piece of text: a table row cell by cell with its column's heading, a card line by line."""
    if element.tag == "tr" and element.getparent().tag == "tbody":
        table = element.getparent().getparent()
        headings = [_text(th) for th in table.iterfind("thead/tr/th")]
        cells = element.findall("*")
        said = [full_stop(f"{heading}: {_text(cell)}") for heading, cell in zip(headings, cells) if _text(cell)]
        return " ".join(said)
    if element.tag == "tr":
        return full_stop(", ".join(_text(cell) for cell in element.findall("*") if _text(cell)))
    if element.tag == "div":  # a word to know and its meaning
        return " ".join(full_stop(_text(part)) if part.tag == "dt" else _text(part) for part in element)
    if element.tag == "p" and element.find(".//br") is not None:
        return " ".join(full_stop(line) for line in _lines(element))
    text = _text(element)
    a_line = element.tag == "span" and element.getparent().find("br") is not None  # a card's line
    return full_stop(text) if a_line or element.tag in ("h1", "h2", "h3", "caption") else text


def sentence_spans(element: Any) -> list[Any]:
    """A paragraph of several sentences with each sentence in a span of its own (bold words and links kept
    whole), so each is highlighted as it is said; the element itself when it holds one sentence."""
    text = "".join(element.itertext())
    starts, position = [], 0
    for sentence in split(text):
        at = text.find(sentence, position)
        if at < 0:  # a character the splitter reads differently: keep the paragraph whole
            return [element]
        starts.append(at)
        position = at + len(sentence)
    if len(starts) < 2:
        return [element]
    items: list[Any] = [element.text or ""]
    for child in element:
        items += [child, child.tail or ""]
        child.tail = None
    groups: list[list[Any]] = [[]]
    offset, cuts = 0, starts[1:]
    for item in items:
        if isinstance(item, str):
            previous = 0
            for cut in (c - offset for c in cuts if offset <= c < offset + len(item)):
                groups[-1].append(item[previous:cut])
                groups.append([])
                previous = cut
            groups[-1].append(item[previous:])
            offset += len(item)
        else:  # a cut inside a bold word or a link is not made: it stays in one sentence
            groups[-1].append(item)
            offset += len("".join(item.itertext()))
    return _wrapped(element, groups)


def line_spans(element: Any) -> list[Any]:
    """A card's lines (a name, a phone number, an email) each in a span of its own, so each is highlighted as
    it is said, not the whole card for half a minute; the <br> between them kept."""
    groups: list[list[Any]] = [[element.text or ""]]
    for child in element:
        tail, child.tail = child.tail or "", None
        if child.tag == "br":
            groups += [[child], [tail]]
        else:
            groups[-1] += [child, tail]
    return _wrapped(element, groups)


def _wrapped(element: Any, groups: list[list[Any]]) -> list[Any]:
    """The element's content (its text and children, tails already taken) in one span for each group; a
    group that is a <br> alone stays between the spans."""
    from lxml import etree  # type: ignore[import-untyped]  # no type hints

    element.text = None
    spans = []
    for group in groups:
        if len(group) == 1 and not isinstance(group[0], str) and group[0].tag == "br":
            element.append(group[0])
            continue
        if all(isinstance(piece, str) and not piece.strip() for piece in group):  # before a <br> at the start
            continue
        span = etree.SubElement(element, "span")
        last = None
        for piece in group:
            if isinstance(piece, str):
                if last is None:
                    span.text = (span.text or "") + piece
                else:
                    last.tail = (last.tail or "") + piece
            else:
                span.append(piece)
                last = piece
        spans.append(span)
    return spans


def mark_units(root: Any) -> list[Unit]:  # an lxml element (lxml has no type hints)
    """Give every sentence or other piece of text an id (headings keep theirs) and say what is spoken for it,
    in reading order."""
    units: list[Unit] = []
    used = {element.get("id") for element in root.iter() if element.get("id")}
    number = 0
    for element in list(root.iter()):
        term = element.tag == "div" and element.getparent().tag == "dl"
        if not term and (element.tag not in UNIT_TAGS or any(c.tag in UNIT_TAGS for c in element.iterdescendants())):
            continue
        if "credit" in (element.get("class") or "").split():  # the pictures' credit is shown, never said: the MP3
            continue  # has no pictures and says none either
        whole = term or element.tag not in ("p", "li")
        lines = not whole and element.find("br") is not None
        for piece in [element] if whole else line_spans(element) if lines else sentence_spans(element):
            words = say(spoken(piece))
            if not re.search(r"\w", words):
                continue
            while not piece.get("id"):
                number += 1
                if f"read-{number}" not in used:
                    piece.set("id", f"read-{number}")
            units.append(Unit(piece.get("id"), words))
    return units


def xhtml(page: str) -> tuple[str, list[Unit]]:
    """The rendered page as XHTML (XML), with the ids of its pieces of text."""
    from lxml import etree, html

    root = html.document_fromstring(page)
    body = root.find("body")
    units = mark_units(body)
    head = etree.tostring(root.find("head"), method="xml", encoding="unicode")
    content = etree.tostring(body, method="xml", encoding="unicode")
    language = markup.escape(root.get("lang", "en-GB"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{language}" xml:lang="{language}">\n{head}\n{content}\n</html>\n'), units


def clock(ms: int) -> str:
    """A SMIL clock value, "0:01:02.345"."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def record(parts: list[Chapter], voice: SpeechEngine, rate: int, clips: Clips | None = None) -> None:
    """Each chapter's pieces of text spoken one by one (side by side across chapters); then, as in the MP3, the
    pauses fitted to the rate and the loudness set (mastering.py); then each chapter's MP3 and clips."""
    from easyread.writers.audio import encode
    from easyread.writers.mastering import fit_pauses, loudness_gain, make_louder

    sample_rate = voice.sample_rate
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="easyread-speech") as pool:
        said = list(pool.map(lambda chapter: voice.lines([unit.spoken for unit in chapter.units], rate, clips), parts))
        words = sum(len(unit.spoken.split()) for chapter in parts for unit in chapter.units)
        every = [piece for pieces in said for piece in pieces]
        said.clear()  # each piece is held once, in `every`, while it is fitted
        fit_pauses(every, words, rate, sample_rate)
        gain, fitted = loudness_gain(every, sample_rate), iter(every)
        said = [[next(fitted) for _ in chapter.units] for chapter in parts]  # each chapter's pieces again

        def finish(chapter: Chapter, pieces: list[bytes]) -> None:
            position = 0
            for piece in pieces:
                start, position = position, position + len(piece) // 2
                chapter.clips.append((round(start * 1000 / sample_rate), round(position * 1000 / sample_rate)))
            sound = bytearray().join(pieces)
            make_louder(sound, gain, sample_rate)
            out = io.BytesIO()
            encode(sound, sample_rate, out)
            chapter.audio = out.getvalue()

        list(pool.map(finish, parts, said))


def smil(chapter: Chapter) -> str:
    """The chapter's media overlay: one par for each piece of text, its clip of the chapter's MP3."""
    pars = "\n".join(
        f'<par id="par-{index}"><text src="{chapter.name}.xhtml#{unit.id}"/>'
        f'<audio src="audio/{chapter.name}.mp3" clipBegin="{clock(begin)}" clipEnd="{clock(end)}"/></par>'
        for index, (unit, (begin, end)) in enumerate(zip(chapter.units, chapter.clips), 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            f'<body>\n{pars}\n</body>\n</smil>\n')


def nav(model: dict[str, Any], parts: list[Chapter]) -> str:
    """The navigation document: the title page and each section, with its subsections."""
    def entries(chapter: Chapter, blocks: list[dict[str, Any]]) -> str:
        """A link to each section among the blocks, each followed by a list of its own subsections."""
        items = []
        for block in blocks:
            if block["type"] == "section":
                title = markup.escape("".join(run["text"] for run in block["runs"]))
                inner = entries(chapter, block["blocks"])
                inner = f"<ol>{inner}</ol>" if inner else ""
                items.append(f'<li><a href="{chapter.name}.xhtml#{block["id"]}">{title}</a>{inner}</li>')
        return "".join(items)

    first = f'<li><a href="{parts[0].name}.xhtml#title">{markup.escape(model["title"])}</a></li>'
    sections = "".join(entries(chapter, chapter.blocks) for chapter in parts[1:])
    contents = markup.escape(model["words"]["contents"])
    language = markup.escape(model["language"])
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{language}" '
            f'xml:lang="{language}">\n<head>\n<meta charset="utf-8" />\n<title>{contents}</title>\n'
            '<link rel="stylesheet" type="text/css" href="style.css" />\n</head>\n<body>\n'
            f'<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-heading">\n'
            f'<h1 id="toc-heading">{contents}</h1>\n<ol>{first}{sections}</ol>\n</nav>\n'
            '<nav epub:type="landmarks" aria-label="Landmarks" hidden="hidden">\n<ol>'
            f'<li><a epub:type="bodymatter" href="{parts[0].name}.xhtml">{markup.escape(model["title"])}</a></li>'
            '</ol>\n</nav>\n</body>\n</html>\n')


def package(model: dict[str, Any], document: Document, parts: list[Chapter], images: list[tuple[str, str, bytes]],
            narrator: str | None, description: str) -> str:
    """The package document: metadata (with accessibility metadata), manifest and spine."""
    e = markup.escape
    modified = made_at().strftime("%Y-%m-%dT%H:%M:%SZ")
    identity = uuid.uuid5(uuid.NAMESPACE_URL, "easyread:" + "".join(part.xhtml for part in parts))
    pictures = bool(images)
    modes = ["textual", *(["visual"] if pictures else []), *(["auditory"] if narrator else [])]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
                *(["alternativeText"] if pictures else []), *(["synchronizedAudioText"] if narrator else [])]
    summary = " ".join(part for part in (
        description.strip().rstrip(".") + "." if description.strip() else "",
        "Every picture has a text alternative." if pictures else "",
        "Headings, and a table of contents with every section.",
        "Every sentence is read aloud and highlighted as it is spoken." if narrator else "",
        "Meets EPUB Accessibility 1.1 and WCAG 2.2 level AA.") if part)
    meta = [f'<dc:identifier id="book-id">urn:uuid:{identity}</dc:identifier>',
            f"<dc:title>{e(document.title)}</dc:title>",
            f"<dc:language>{e(model['language'])}</dc:language>",
            *([f"<dc:creator>{e(model['author'])}</dc:creator>"] if model["author"] else []),
            *([f"<dc:description>{e(model['subject'])}</dc:description>"] if model["subject"] else []),
            f'<meta property="dcterms:modified">{modified}</meta>',
            *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes),
            '<meta property="schema:accessModeSufficient">textual</meta>',
            *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
            '<meta property="schema:accessibilityHazard">none</meta>',
            f'<meta property="schema:accessibilitySummary">{e(summary)}</meta>',
            '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>',
            '<meta property="a11y:certifiedBy">easyread</meta>']
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="style" href="style.css" media-type="text/css"/>',
             *(f'<item id="font-{index}" href="fonts/{name}" media-type="font/ttf"/>' for index, name in enumerate(FONTS, 1))]
    if narrator:
        total = 0
        for part in parts:
            length = part.clips[-1][1] if part.clips else 0
            total += length
            meta.append(f'<meta property="media:duration" refines="#overlay-{part.name}">{clock(length)}</meta>')
        meta += [f'<meta property="media:duration">{clock(total)}</meta>',
                 f"<meta property=\"media:narrator\">{e(narrator)}</meta>",
                 f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>']
    for part in parts:
        overlay = f' media-overlay="overlay-{part.name}"' if narrator else ""
        items.append(f'<item id="{part.name}" href="{part.name}.xhtml" media-type="application/xhtml+xml"{overlay}/>')
        if narrator:
            items += [f'<item id="overlay-{part.name}" href="{part.name}.smil" media-type="application/smil+xml"/>',
                      f'<item id="audio-{part.name}" href="audio/{part.name}.mp3" media-type="audio/mpeg"/>']
    items += [f'<item id="image-{index}" href="{name}" media-type="{kind}"/>'
              for index, (name, kind, _) in enumerate(images, 1)]
    spine = "\n".join(f'<itemref idref="{part.name}"/>' for part in parts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang="{e(model["language"])}" prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta) + "\n</metadata>\n"
            "<manifest>\n" + "\n".join(items) + f"\n</manifest>\n<spine>\n{spine}\n</spine>\n</package>\n")


CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
             "</container>\n")


def render(document: Document, layout: Layout, plan: RenderPlan | None = None) -> bytes:
    """The Document as an EPUB 3 book, with read-along audio unless the profile says not."""
    from easyread.presentation.fonts import font_folder
    from easyread.writers.audio import voice_for
    from easyread.writers.plan import spoken_by

    builder = Model(document, layout)
    model = builder.build()
    model["language"] = document.language
    template = environment().get_template("document.xhtml.j2")
    parts = chapters(model)
    for chapter in parts:
        chapter.xhtml, chapter.units = xhtml(template.render(model=model, chapter=chapter))
    narrator = None
    if layout.read_along:
        voice = voice_for(layout)
        record(parts, voice, layout.speech_rate_wpm, plan.clips if plan else None)
        narrator = spoken_by(voice.engine, voice.voice)
    css = environment().get_template("document.css.j2").render(model=model) + EXTRA_CSS
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", CONTAINER.encode()),
        ("EPUB/package.opf",
         package(model, document, parts, list(builder.images.values()), narrator, layout.description).encode()),
        ("EPUB/nav.xhtml", nav(model, parts).encode()),
        ("EPUB/style.css", css.encode()),
        *((f"EPUB/fonts/{name}", (Path(font_folder()) / name).read_bytes()) for name in FONTS),
    ]
    for chapter in parts:
        files.append((f"EPUB/{chapter.name}.xhtml", chapter.xhtml.encode()))
        if narrator:
            files += [(f"EPUB/{chapter.name}.smil", smil(chapter).encode()),
                      (f"EPUB/audio/{chapter.name}.mp3", chapter.audio)]
    files += [(f"EPUB/{name}", data) for name, _, data in builder.images.values()]
    return zipped(files)


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    """The OCF container: the mimetype first and stored, then every file compressed, each dated the render's time."""
    when = made_at().timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", when), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in files:
            stored = name.endswith(".mp3")  # audio is compressed already
            book.writestr(zipfile.ZipInfo(name, when), data,
                          compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()
