"""The read-along EPUB (`--to epub`): checked by the reference validators, EPUBCheck and DAISY Ace; each
sentence with exactly one clip of audio, the clips in order and covering the audio; the same words as the
web page; and a book without audio still valid."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

import easyread
from tests.conftest import EXAMPLES, GOOD, HOUSE
from tests.test_html import BROWSER, chromium, node

XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"
LETTER = EXAMPLES / "jordan-review-letter.yaml"
EPUBCHECK = "/usr/share/java/epubcheck.jar"  # Debian's epubcheck


def book(data: bytes) -> dict[str, bytes]:
    """The files in an EPUB."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def seconds(clock: str) -> float:
    hours, minutes, rest = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def epubcheck(path: Path) -> dict:
    """EPUBCheck's JSON report for a book."""
    assert shutil.which("java") and Path(EPUBCHECK).exists(), "EPUBCheck is missing: apt-get install epubcheck"
    report = path.with_suffix(".epubcheck.json")
    subprocess.run(["java", "-jar", EPUBCHECK, str(path), "--json", str(report)], capture_output=True, text=True,
                   timeout=300, check=False)
    return json.loads(report.read_text(encoding="utf-8"))


def ace(path: Path, out: Path) -> dict:
    """DAISY Ace's report for a book, its pages checked with axe in Debian's Chromium."""
    cli = BROWSER / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"
    assert cli.exists(), "run: cd tests/browser && npm ci (scripts/install.sh does)"
    assert chromium().exists(), f"Chromium is missing at {chromium()}: apt-get install chromium, or set CHROMIUM"
    done = subprocess.run([node(), str(cli), "--silent", "--force", "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=600, cwd=BROWSER,
                          env={**os.environ, "CHROMIUM": str(chromium()), "PUPPETEER_EXECUTABLE_PATH": str(chromium())})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def violations(report: dict) -> list[str]:
    return [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']}"
            for a in report["assertions"] for b in a.get("assertions", [])]


def without_read_along() -> easyread.Profile:
    """A council's profile that makes books without audio."""
    return easyread.get_profile("easy-read").with_presentation(read_along=False)


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """Three books: jordan-plan read along in the natural voice, margaret-plan in large print (day by day, no
    tables: her recorded need) in the council's house style and the British voice, and the review letter
    without audio."""
    folder = tmp_path_factory.mktemp("books")
    made = {
        "jordan": easyread.render(EXAMPLES / "jordan-plan.yaml", formats=["epub"], outdir=folder / "natural",
                                  voice="natural").paths[0],
        "margaret": easyread.render(EXAMPLES / "margaret-plan.yaml", formats=["epub"], outdir=folder / "british",
                                    profile="large-print", voice="british", house_style=HOUSE).paths[0],
        "silent": easyread.render(EXAMPLES / "jordan-review-letter.yaml", formats=["epub"], outdir=folder / "silent",
                                  profile=without_read_along()).paths[0],
    }
    return made


def test_epubcheck_finds_no_errors_and_no_warnings(books):
    for name, path in books.items():
        report = epubcheck(path)
        assert report["checker"]["nFatal"] == report["checker"]["nError"] == report["checker"]["nWarning"] == 0, \
            (name, [m["message"] for m in report["messages"]][:10])
        assert report["publication"]["language"] == "en-GB"


def test_ace_finds_no_violations_and_catches_a_picture_without_alt_text(books, tmp_path):
    for name, path in books.items():
        report = ace(path, tmp_path / name)
        assert violations(report) == [], (name, violations(report))
        assert report["earl:result"]["earl:outcome"] == "pass"
        metadata = report["a11y-metadata"]["present"]
        for needed in ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                       "schema:accessibilitySummary", "schema:accessModeSufficient", "dcterms:conformsTo"):
            assert needed in metadata, (name, needed)
    # the same book with one picture's alt text taken away: Ace must say so
    files = book(books["jordan"].read_bytes())
    page = files["EPUB/part-01.xhtml"].decode()
    files["EPUB/part-01.xhtml"] = re.sub(r' alt="[^"]*"', "", page, count=1).encode()
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", files.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    assert any("image-alt" in v or "alt" in v.lower() for v in violations(ace(broken, tmp_path / "broken")))


def overlays(files: dict[str, bytes]) -> dict[str, list[tuple[str, str, float, float]]]:
    """Each content document's clips: (text id, audio file, begin, end) in stored order."""
    clips = {}
    for name, data in files.items():
        if name.endswith(".smil"):
            root = etree.fromstring(data)
            pars = root.iter(f"{SMIL}par")
            clips[name.removesuffix(".smil") + ".xhtml"] = [
                (par.find(f"{SMIL}text").get("src").split("#")[1], par.find(f"{SMIL}audio").get("src"),
                 seconds(par.find(f"{SMIL}audio").get("clipBegin")), seconds(par.find(f"{SMIL}audio").get("clipEnd")))
                for par in pars]
    return clips


def mp3_seconds(data: bytes, folder: Path) -> float:
    path = folder / "part.mp3"
    path.write_bytes(data)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                           capture_output=True, text=True, check=True)
    return float(probe.stdout)


def spoken_elements(document: etree._Element, ids: list[str]) -> list[etree._Element]:
    found = {element.get("id"): element for element in document.iter() if element.get("id")}
    return [found[i] for i in ids]


@pytest.mark.parametrize("example", GOOD, ids=lambda path: path.stem)
def test_every_piece_of_text_has_exactly_one_clip_and_the_clips_run_in_order_over_the_audio(example, tmp_path):
    done = easyread.render_bytes(example, formats=["epub"], voice="british")
    files = book(done.files["epub"])
    package = etree.fromstring(files["EPUB/package.opf"])
    clips = overlays(files)
    documents = [item.get("href") for item in package.iter(f"{OPF}item") if item.get("media-overlay")]
    assert documents and sorted(clips) == sorted(f"EPUB/{d}" for d in documents)
    total, credits = 0.0, 0
    for name, pars in clips.items():
        document = etree.fromstring(files[name])
        body = document.find(f"{XHTML}body")
        ids = [text_id for text_id, *_ in pars]
        assert len(ids) == len(set(ids)), name  # one clip each
        spoken = spoken_elements(document, ids)
        # every piece of text in the page is inside exactly one spoken element, but the pictures' credit, which is
        # shown and never said (the MP3 has no pictures and says no credit either)
        for text_node in body.xpath(".//text()[normalize-space()]"):
            holder = text_node.getparent().getparent() if text_node.is_tail else text_node.getparent()
            owners = [element for element in holder.iterancestors() if element in spoken]
            owners += [holder] if holder in spoken else []
            credit = any("credit" in (e.get("class") or "").split() for e in (holder, *holder.iterancestors()))
            assert len(owners) == (0 if credit else 1), (name, str(text_node)[:60], len(owners))
            credits += credit
        # in reading order, each clip starting where the one before ended, the first at 0, the last at the end
        order = [element for element in body.iter() if element in spoken]
        assert order == spoken, name
        assert pars[0][2] == 0.0
        assert all(begin < end for _, _, begin, end in pars)
        assert all(a[3] == b[2] for a, b in zip(pars, pars[1:]))
        audio = {src for _, src, _, _ in pars}
        assert len(audio) == 1
        length = mp3_seconds(files["EPUB/" + audio.pop()], tmp_path)
        assert abs(length - pars[-1][3]) < 0.15, (name, length, pars[-1][3])  # the encoder's own padding only
        total += pars[-1][3]
        duration = package.find(f".//{OPF}meta[@refines='#overlay-{Path(name).stem}']")
        assert seconds(duration.text) == pars[-1][3]
    book_duration = [m for m in package.iter(f"{OPF}meta") if m.get("property") == "media:duration" and not m.get("refines")]
    assert abs(seconds(book_duration[0].text) - total) < 0.002 * len(clips)
    if example.stem == "jordan-plan":  # easy read with pictures: the credit is there, and not said
        assert credits == 1


def test_the_book_has_the_web_pages_words_and_pictures(tmp_path):
    done = easyread.render_bytes(EXAMPLES / "jordan-plan.yaml", formats=["epub", "html"], voice="british")
    page = lxml_html.fromstring(done.files["html"])
    for hidden in page.xpath("//*[contains(@class, 'narrow')]"):  # the phone-width timetable the book leaves out
        hidden.getparent().remove(hidden)
    expected = (" ".join(page.find("body/main").itertext()) + " " + " ".join(page.find("body/footer").itertext())).split()
    files = book(done.files["epub"])
    spine = [f"EPUB/{ref.get('idref')}.xhtml" for ref in etree.fromstring(files["EPUB/package.opf"]).iter(f"{OPF}itemref")]
    shown = " ".join(" ".join(etree.fromstring(files[name]).find(f"{XHTML}body").itertext()) for name in spine).split()
    assert shown == expected
    alts = {img.get("alt") for img in page.iter("img")}
    book_alts = {img.get("alt") for name in spine for img in etree.fromstring(files[name]).iter(f"{XHTML}img")}
    assert book_alts == alts - {None} and len(book_alts) >= 40
    # each picture file is in the manifest, and the fonts are Atkinson Hyperlegible
    manifest = {item.get("href") for item in etree.fromstring(files["EPUB/package.opf"]).iter(f"{OPF}item")}
    pictures = {img.get("src") for name in spine for img in etree.fromstring(files[name]).iter(f"{XHTML}img")}
    assert pictures <= manifest
    assert "fonts/AtkinsonHyperlegible-Regular.ttf" in manifest
    assert '"Atkinson Hyperlegible"' in files["EPUB/style.css"].decode()


def test_the_navigation_lists_every_section_and_its_subsections():
    files = book(easyread.render_bytes(EXAMPLES / "jordan-plan.yaml", formats=["epub"], voice="british").files["epub"])
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.find(f".//{XHTML}nav[@id='toc']")
    entries = ["".join(a.itertext()) for a in toc.iter(f"{XHTML}a")]
    assert entries[:3] == ["Jordan's support plan", "The most important things", "About you"]
    assert "Cooking and food" in entries and "Who to contact" in entries  # a subsection, and a section
    for a in toc.iter(f"{XHTML}a"):  # every link reaches its heading
        name, fragment = a.get("href").split("#")
        target = etree.fromstring(files[f"EPUB/{name}"])
        assert target.find(f".//*[@id='{fragment}']").tag in {f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3"}


def test_sentences_are_spoken_at_the_persons_rate_in_the_named_voice():
    plan = easyread.load(EXAMPLES / "jordan-review-letter.yaml").model_dump(mode="json", exclude_none=True)
    plan["person"].setdefault("information_needs", {})["speech_rate_wpm"] = 110
    for voice, engine in (("natural", "hibari-tts"), ("british", "espeak-ng")):
        done = easyread.render_bytes(plan, formats=["epub"], voice=voice)
        files = book(done.files["epub"])
        package = etree.fromstring(files["EPUB/package.opf"])
        narrator = [m.text for m in package.iter(f"{OPF}meta") if m.get("property") == "media:narrator"]
        assert narrator and narrator[0].startswith(engine) and done.voice == narrator[0]
        minutes = seconds([m.text for m in package.iter(f"{OPF}meta")
                           if m.get("property") == "media:duration" and not m.get("refines")][0]) / 60
        words = sum(len(re.findall(r"\w+", " ".join(etree.fromstring(files[name]).find(f"{XHTML}body").itertext())))
                    for name in files if name.endswith(".xhtml") and "nav" not in name)
        assert 0.85 * 110 < words / minutes < 1.05 * 110, (voice, words / minutes)  # a phone number's digits are
        # said one by one, but counted here as written, so the book looks a little slower than it is


def test_a_contact_card_is_highlighted_line_by_line():
    # a card was one clip of 17 to 33 seconds: now its name, role, phone number and email light up in turn
    files = book(easyread.render_bytes(LETTER, formats=["epub"], voice="british").files["epub"])
    clips = {text_id: end - begin for pars in overlays(files).values() for text_id, _, begin, end in pars}
    cards = [card for name in files if name.endswith(".xhtml") and "nav" not in name
             for card in etree.fromstring(files[name]).iter(f"{XHTML}p") if "contact" in (card.get("class") or "")]
    assert cards
    for card in cards:
        lines = card.findall(f"{XHTML}span")
        assert len(lines) == len(card.findall(f"{XHTML}br")) + 1 and all(line.get("id") in clips for line in lines)
        assert card.get("id") not in clips and max(clips[line.get("id")] for line in lines) < 12


def test_a_book_without_audio_has_no_overlays_and_says_so(books):
    files = book(books["silent"].read_bytes())
    assert not [name for name in files if name.endswith((".smil", ".mp3"))]
    package = files["EPUB/package.opf"].decode()
    assert "media-overlay" not in package and "auditory" not in package and "synchronizedAudioText" not in package
    assert "<meta property=\"schema:accessMode\">visual</meta>" in package


def test_a_persons_own_words_are_text_in_the_book_exactly_as_written(plan):
    words = "I said <script>alert(1)</script> & \"no\" :) — it's my plan. Don't change it."
    plan["about_me"] = [words]
    files = book(easyread.render_bytes(plan, formats=["epub"], voice="british").files["epub"])
    pages = b"".join(data for name, data in files.items() if name.endswith(".xhtml")).decode()
    assert "<script>" not in pages
    text = " ".join(" ".join(etree.fromstring(data).itertext()) for name, data in files.items() if name.endswith(".xhtml"))
    assert words in " ".join(text.split())


def test_the_same_input_gives_the_same_book(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    first = easyread.render_bytes(EXAMPLES / "dylan-change-letter.yaml", formats=["epub"], voice="british").files["epub"]
    again = easyread.render_bytes(EXAMPLES / "dylan-change-letter.yaml", formats=["epub"], voice="british").files["epub"]
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        first_entry = archive.infolist()[0]
        assert first_entry.filename == "mimetype" and first_entry.compress_type == zipfile.ZIP_STORED
    assert first[30:38] == b"mimetype" and first[38:58] == b"application/epub+zip"


def test_a_person_who_asks_for_epub_gets_one(plan, tmp_path):
    plan["person"]["information_needs"]["formats"] = ["epub"]
    done = easyread.render(plan, outdir=tmp_path, voice="british")
    assert [path.suffix for path in done.paths] == [".epub"]


def test_no_read_along_on_the_command_line_makes_a_book_without_audio(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("render", EXAMPLES / "dylan-change-letter.yaml", "--to", "epub", "--no-read-along", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "spoken by" not in result.stderr
    files = book((tmp_path / "dylan-change-letter.epub").read_bytes())
    assert not [name for name in files if name.endswith((".smil", ".mp3"))]
    assert "--no-read-along" in run_cli("render", "--help").stdout
