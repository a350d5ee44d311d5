"""Symbols: choosing pictures from words, the council's own folder, the person's photos, rasters, bad pictures."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from easyread.composer import compose
from easyread.document import Section, Statement, pictured_blocks, sections
from easyread.errors import InputError, TemplateError
from easyread.inputs.pictures import PictureProblem, check_picture, check_svg
from easyread.symbols import symbol_set
from tests.conftest import EXAMPLES, ROOT, run_cli

SIMPLE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="red"/></svg>'


def png(path: Path, size=(8, 8), colour="blue") -> Path:
    Image.new("RGB", size, colour).save(path, "PNG")
    return path


def huge_png(path: Path, width: int, height: int) -> Path:
    """A small file whose header claims a huge picture (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def statements(document):
    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                yield from walk(block.blocks)
            elif isinstance(block, Statement):
                yield block
    return list(walk(document.blocks))


# --- choosing pictures from words ------------------------------------------------------------

def test_explicit_symbol_wins_and_words_choose_the_rest(plan, write):
    template = write("t.md.j2", "# T\n:bus: Your doctor will ring you.\nYour doctor will ring you.\n"
                                "The weather is nice.\n:none: Your doctor is kind.\n")
    explicit, chosen, nothing, deliberate = compose(plan, template=template).blocks
    assert (explicit.symbol, explicit.symbol_source) == ("bus", "template")
    assert (chosen.symbol, chosen.symbol_source) == ("doctor", "words")
    assert (nothing.symbol, nothing.symbol_source) == (None, None)
    assert (deliberate.symbol, deliberate.symbol_source) == (None, "none")


def test_a_soft_default_gives_way_to_a_specific_picture_the_words_name(plan, write):
    template = write("t.md.j2", "# T\n:help?: Your doctor will ring you.\n:help?: The weather is nice.\n"
                                ":help: Your doctor will ring you.\n")
    specific, fallback, fixed = compose(plan, template=template).blocks
    assert (specific.symbol, specific.symbol_source) == ("doctor", "words")
    assert (fallback.symbol, fallback.symbol_source) == ("help", "default")
    assert (fixed.symbol, fixed.symbol_source) == ("help", "template")
    assert "doctor" in specific.symbol_reason and "default" in fallback.symbol_reason


def test_symbol_helper_passes_a_soft_default_through(plan, write):
    template = write("t.md.j2", "# T\n{{ symbol(none, 'help?') }}Your doctor will ring you.\n"
                                "{{ symbol(none, 'help?') }}The weather is nice.\n")
    assert [b.symbol_source for b in compose(plan, template=template).blocks] == ["words", "default"]


@pytest.mark.parametrize(("sentence", "chosen", "not_chosen"), [
    # not the council's picture either: beside "The council will help" it says the council does (judged)
    ("The council does not have to pay for this.", None, "money"),
    ("You did not go to college, but you went to the gym.", "gym", "college"),
    ("You cannot take the bus on your own yet.", None, "bus"),
    ("Never tell anyone your password.", "not-allowed", "password"),
    ("Do not open the door to people you do not know.", "not-allowed", "door"),
    ("Don't worry if the bus is late.", None, "bus"),
])
def test_words_a_not_reaches_never_choose_the_picture(sentence, chosen, not_chosen):
    choice, why = symbol_set().choose(sentence)
    assert (choice.name if choice else None) == chosen
    assert any(c.name == not_chosen for c in symbol_set().candidates(sentence))
    if choice is None:
        assert "not" in why


def test_a_symbol_on_the_plans_words_overrides_the_picture(plan, write):
    plan["outcomes"][0]["steps"][0]["what"] = {"text": "Cook with you on Mondays.", "symbol": "calendar"}
    plan["needs"][0]["description"] = {"text": "You need help to cook hot food.", "symbol": "none"}
    document = compose(plan)
    step = next(s for s in statements(document) if s.text == "Cook with you on Mondays.")
    need = next(s for s in statements(document) if "cook hot food" in s.text)
    assert (step.symbol, step.symbol_source) == ("calendar", "plan")
    assert (need.symbol, need.symbol_source) == (None, "none")


def test_an_unknown_symbol_on_the_plans_words_names_the_field_and_line(plan, write):
    plan["person"]["how_i_communicate"] = [{"text": "I like texts.", "symbol": "videocall"}]
    path = write("plan.yaml", plan)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "symbol: videocall" in text)
    with pytest.raises(InputError) as caught:
        compose(path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("person.how_i_communicate[0].symbol", line)
    assert ":video-call:" in problem.message  # the closest name, to fix it


@pytest.mark.parametrize(("pronouns", "expected"), [("he/him", "you-man"), ("she/her", "you-woman"),
                                                    ("they/them", "you"), (None, "you")])
def test_the_readers_picture_fits_their_pronouns(plan, write, pronouns, expected):
    if pronouns:
        plan["person"]["pronouns"] = pronouns
    template = write("t.md.j2", "# T\n:you: This is about you.\n:me: Who looks after it: you.\n")
    blocks = compose(plan, template=template).blocks
    assert [b.symbol for b in blocks] == [expected, expected]
    assert blocks[1].symbol_source == "person"


def test_the_readers_picture_is_their_photo_when_they_have_one(plan, write, tmp_path):
    png(tmp_path / "me.png")
    plan["person"]["photo"] = {"file": "me.png", "alt": "Ada in her garden"}
    plan["person"]["pronouns"] = "she/her"
    document = compose(write("ada.yaml", plan), template=write("t.md.j2", "# T\n:you: This is about you.\n"))
    (block,) = document.blocks
    assert document.symbols[block.symbol].source == "photo" and document.symbols[block.symbol].alt == "Ada in her garden"


def test_long_fields_are_split_one_idea_a_line_without_changing_a_word(plan):
    plan["needs"][0]["description"] = {"text": "You find cooking hard. You burn pans. You want to learn."}
    document = compose(plan, profile="easy-read")
    lines = [s.text for s in statements(document) if s.source.fields and s.source.fields[0].startswith("needs[0].description")]
    assert lines == ["You find cooking hard.", "You burn pans.", "You want to learn."]


def test_symbols_review_lays_out_every_line_with_its_picture_and_reason(tmp_path):
    for suffix in (".html", ".pdf", ".json"):
        result = run_cli("symbols", "review", EXAMPLES / "jordan-plan.yaml", "-o", tmp_path / f"sheet{suffix}")
        assert result.returncode == 0, result.stderr
        assert "statements have a picture" in result.stdout
    data = json.loads((tmp_path / "sheet.json").read_text())
    rows = data["rows"]
    video = next(r for r in rows if r["text"] == "Video call with Mum.")
    assert video["symbol"] == "video-call" and "video call" in video["reason"]
    assert "outcomes[3].steps[0].what" in video["change"] and "symbol:" in video["change"]
    fixed = next(r for r in rows if r["source"] == "fixed by the template")
    assert "support_plan.md.j2 line" in fixed["change"]
    assert data["summary"]["statements"] == len([r for r in rows if r["kind"] == "statement"])
    page = (tmp_path / "sheet.html").read_text()
    assert page.count("<tr") == len(rows) + 1 and "Video call with Mum." in page and 'alt="A video call"' in page
    import pdfplumber
    import pikepdf

    with pdfplumber.open(tmp_path / "sheet.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Video call with Mum." in text and "chosen from the words" in text
    with pikepdf.open(tmp_path / "sheet.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked  # tagged, for screen readers
    bad = run_cli("symbols", "review", EXAMPLES / "jordan-plan.yaml", "-o", tmp_path / "sheet.txt")
    assert bad.returncode != 0 and ".html, .pdf or .json" in bad.stderr


def test_word_forms_and_phrases_choose_pictures():
    symbols = symbol_set()
    assert symbols.find("Take the buses to town.").name == "bus"
    assert symbols.find("You like cooking.").name == "cook"
    assert symbols.find("Your personal budget is £100.").name == "budget"
    assert symbols.find("the weather is nice") is None


def test_unknown_explicit_names_fail_with_the_closest(plan, write):
    with pytest.raises(TemplateError, match=r"no symbol called :doctr:; did you mean :doctor:"):
        compose(plan, template=write("t.md.j2", "# T\n:doctr: Hello.\n"))


def test_symbols_find_explains_its_choice():
    result = run_cli("symbols", "find", "Your", "doctor", "will", "ring", "you", "--json")
    report = json.loads(result.stdout)
    assert report["chosen"]["name"] == "doctor" and "doctor" in report["chosen"]["reason"]
    assert {c["name"] for c in report["candidates"]} >= {"doctor", "phone"}
    assert "no picture" in run_cli("symbols", "find", "the", "weather", "is", "nice").stdout


def test_document_lists_its_pictures_and_credits(plan):
    document = compose(plan)
    assert document.symbols and all(ref.alt for ref in document.symbols.values())
    assert document.symbols["doctor" if "doctor" in document.symbols else next(iter(document.symbols))].source
    assert any("OpenMoji" in credit for credit in document.attribution)


# --- the person's own pictures ------------------------------------------------------------------

def test_a_persons_photo_becomes_a_symbol_with_its_alt_text(plan, write, tmp_path):
    png(tmp_path / "ada.png")
    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada in her garden"}
    document = compose(write("ada.yaml", plan))
    about = next(s for s in sections(document) if s.title == "About you")
    ref = document.symbols[about.symbol or about.blocks[0].symbol]  # on the heading, or the line under it
    assert (ref.source, ref.alt, Path(ref.file).name) == ("photo", "Ada in her garden", "ada.png")


def test_a_person_who_asks_for_photos_gets_photos_and_no_cartoon_symbols(plan, write, tmp_path):
    png(tmp_path / "ada.png")
    plan["person"]["photo"] = {"file": "ada.png", "alt": "Ada in her garden"}
    plan["person"]["information_needs"]["pictures"] = "photos"
    document = compose(write("ada.yaml", plan))
    assert {ref.source for ref in document.symbols.values()} == {"photo"} and document.attribution == []
    shown = [block for block in pictured_blocks(document) if block.symbol]
    assert shown and all(document.symbols[block.symbol].source == "photo" for block in shown)
    # the council's own picture folder counts as photos; where no photo fits, no picture
    folder = tmp_path / "council"
    folder.mkdir()
    png(folder / "cook.png")
    document = compose(write("ada.yaml", plan), symbols=folder)
    assert {ref.source for ref in document.symbols.values()} == {"photo", "council"}
    assert compose(plan | {"person": plan["person"] | {"photo": None}}).symbols == {}
    assert {ref.source for ref in compose(write("ada.yaml", {**plan, "person": {**plan["person"], "information_needs": {
        **plan["person"]["information_needs"], "pictures": "symbols"}}})).symbols.values()} >= {"openmoji", "photo"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.png", "not found"),
        (lambda d: (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really") and d / "broken.png", "damaged"),
        (lambda d: huge_png(d / "huge.png", 20000, 20000), "too big to open safely"),
        (lambda d: (d / "notes.png").write_text("hello") and d / "notes.png", "damaged or not a picture"),
    ],
    ids=["missing", "corrupt", "20000x20000", "text"],
)
def test_bad_photos_are_clear_errors_and_nothing_is_written(plan, write, tmp_path, make, message):
    file = make(tmp_path)
    plan["person"]["photo"] = {"file": file.name, "alt": "Ada"}
    source = write("ada.yaml", plan)
    with pytest.raises(InputError, match=message) as excinfo:
        compose(source)
    assert excinfo.value.problems[0].field == "person.photo.file"
    result = run_cli("render", source, "--to", "txt", "-o", tmp_path / "out")
    assert result.returncode == 2 and message in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
         b'<image xlink:href="https://example.org/x.png"/></svg>', "outside itself"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', "outside itself"),
        (b'<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">'
         b'<text>&b;</text></svg>', "entities"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://x/y)"/></svg>', "outside itself"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(#a);stroke:url(http://x/y)"/></svg>',
         "outside itself"),
        (b"<html></html>", "not an SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
         "data: URI"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href=" DATA:image/png;base64,iVBORw0KGgo="/></svg>',
         "data: URI"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(data:image/png;base64,AAAA)"/></svg>',
         "outside itself"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>', "outside itself"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>',
         "in a loop"),
        (('<svg xmlns="http://www.w3.org/2000/svg"><circle id="l0" r="1"/>' + "".join(
            f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 7)) + "</svg>").encode(),
         "once its <use> elements are followed"),
    ],
    ids=["remote image", "local file", "entities", "script", "css url", "css url after a local one", "not svg",
         "embedded svg", "embedded png", "css data url", "css import", "use loop", "use bomb"],
)
def test_unsafe_svgs_are_refused(svg, message):
    with pytest.raises(PictureProblem, match=message):
        check_svg(svg, "bad.svg")


def test_a_safe_svg_and_a_small_png_pass(tmp_path):
    check_svg(SIMPLE_SVG, "ok.svg")
    check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><defs><circle id="c" r="1"/></defs>'
              b'<use href="#c"/><use href="#c" x="2"/><rect style="fill:url(#c)"/></svg>', "uses.svg")
    check_picture(png(tmp_path / "ok.png"))


# --- pictures too big once decoded, and files that are not pictures (issue 13, items 8 and 13b) ----

def test_an_svg_over_the_limit_is_refused_before_it_is_read(tmp_path):
    from easyread.inputs.limits import MAX_SVG_BYTES

    path = tmp_path / "big.svg"
    path.write_bytes(SIMPLE_SVG[:-6] + b" " * MAX_SVG_BYTES + b"</svg>")
    with pytest.raises(PictureProblem, match=f"a symbol must be under {MAX_SVG_BYTES:,} bytes"):
        check_picture(path)
    with pytest.raises(PictureProblem, match="a symbol must be smaller"):
        check_svg(path.read_bytes(), "big.svg")


@pytest.mark.parametrize(
    ("mode", "size", "message"),
    [
        ("I;16", (6324, 6324), "6,324 x 6,324 pixels at 16 bits a channel"),  # 40 MP: passed the old 40 MP check
        ("I;16", (3000, 3000), "at 16 bits a channel \\(which counts double\\)"),  # 9 MP, 18 MP decoded
        ("L", (4001, 4001), "4,001 x 4,001 pixels, too big"),  # 16.008 MP
        ("L", (8001, 10), "8,001 x 10 pixels"),
    ],
    ids=["16-bit 40 MP", "16-bit 9 MP", "8-bit 16 MP", "too wide"],
)
@pytest.mark.slow
def test_pictures_are_judged_by_their_decoded_size(tmp_path, mode, size, message):
    path = tmp_path / "deep.png"
    Image.new(mode, size).save(path)
    with pytest.raises(PictureProblem, match=message):
        check_picture(path)


def test_a_picture_just_inside_the_decoded_limit_passes(tmp_path):
    Image.new("L", (4000, 4000)).save(tmp_path / "big.png")
    Image.new("I;16", (2000, 4000)).save(tmp_path / "deep.png")
    check_picture(tmp_path / "big.png")
    check_picture(tmp_path / "deep.png")


def test_a_named_pipe_is_refused_without_waiting_for_it(tmp_path):
    import os
    import threading

    pipe = tmp_path / "ada.png"
    os.mkfifo(pipe)

    checked, unblocked = threading.Event(), threading.Event()

    def unblock():  # without the check, opening the pipe would wait for a writer for ever: be one if it does
        if not checked.wait(30):
            unblocked.set()
            with open(pipe, "wb") as writer:
                writer.write(b"not a picture")

    threading.Thread(target=unblock, daemon=True).start()
    with pytest.raises(PictureProblem, match="is a named pipe, not a picture file"):
        check_picture(pipe)
    checked.set()
    assert not unblocked.is_set()  # it answered without anyone opening the pipe's other end
    with pytest.raises(PictureProblem, match="is a folder"):
        check_picture(tmp_path)


def test_a_missing_pictures_message_does_not_assume_a_plan(tmp_path):
    with pytest.raises(PictureProblem, match="paths are relative to the file that names it$"):
        check_picture(tmp_path / "logo.png")
    with pytest.raises(PictureProblem, match="paths are relative to the house style file$"):
        check_picture(tmp_path / "logo.png", named_by="the house style file")


# --- a council's own symbols -------------------------------------------------------------------

def test_a_council_folder_overrides_and_extends_the_vocabulary(plan, write, tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    png(folder / "doctor.png")
    (folder / "bin-day.svg").write_bytes(SIMPLE_SVG)
    (folder / "symbols.yaml").write_text("attribution: Pictures (c) Example Symbols Ltd\n"
                                         "concepts:\n  bin-day: {alt: Bin day, synonyms: [bins]}\n")
    symbols = symbol_set(str(folder))
    assert symbols.concepts["doctor"].source == "council"
    assert symbols.concepts["doctor"].alt == symbol_set().concepts["doctor"].alt
    assert symbols.find("Put the bins out.").name == "bin-day"
    template = write("t.md.j2", "# T\n:bin-day: Put the bins out on Tuesday.\nYour doctor will ring you.\n")
    document = compose(plan, template=template, symbols=folder)
    assert document.symbols["bin-day"].source == "council" and document.symbols["doctor"].file.endswith("doctor.png")
    assert "Pictures (c) Example Symbols Ltd" in document.attribution
    with pytest.raises(TemplateError, match="no symbol called :bin-day:"):
        compose(plan, template=template)  # without the folder, the name does not exist


def test_a_council_symbol_needs_alt_text_and_a_safe_file(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "new-thing.svg").write_bytes(SIMPLE_SVG)
    (folder / "evil.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/y.png"/></svg>')
    with pytest.raises(InputError) as excinfo:
        symbol_set(str(folder))
    messages = " ".join(str(p) for p in excinfo.value.problems)
    assert "needs a text alternative" in messages and "outside itself" in messages


# --- rasters -------------------------------------------------------------------------------------

def test_rasters_are_cached_by_content(monkeypatch, tmp_path):
    import cairosvg

    from easyread.symbols import raster

    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path))
    first = raster.png(SIMPLE_SVG, 64)
    with Image.open(first) as image:
        assert image.size == (64, 64)
    monkeypatch.setattr(cairosvg, "svg2png", lambda **kwargs: pytest.fail("rendered twice"))
    assert raster.png(SIMPLE_SVG, 64) == first
    assert raster.png(SIMPLE_SVG, 64).stat().st_size > 0


def test_a_raster_planted_in_a_cache_others_can_write_is_never_used(monkeypatch, tmp_path):
    """A shared cache folder (mode 0777, or another user's) could hold someone's planted picture: not read."""
    import hashlib

    from easyread.symbols import raster

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(shared))
    key = hashlib.sha256(SIMPLE_SVG + b"/32").hexdigest()
    planted = shared / "rasters" / key[:2] / f"{key}.png"
    planted.parent.mkdir(parents=True)
    Image.new("RGB", (32, 32), "red").save(planted)
    made = raster.png(SIMPLE_SVG, 32)
    assert isinstance(made, bytes) and made != planted.read_bytes()
    shared.chmod(0o700)  # the user's own again: the cache is used (and its folders made owner-only)
    (shared / "rasters").chmod(0o700)
    planted.parent.chmod(0o700)
    assert raster.png(SIMPLE_SVG, 32) == planted


def test_an_unwritable_cache_leaves_no_pictures_behind(plan, write, tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "file").write_text("not a folder")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary),
           "EASYREAD_CACHE_DIR": str(tmp_path / "file" / "cache")}  # under a file: no one can make it, not even root
    done = subprocess.run([sys.executable, "-m", "easyread.cli", "render", write("ada.yaml", plan), "--to", "docx",
                           "-o", tmp_path / "out"], check=False, capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "ada.docx").stat().st_size > 10_000
    assert list(temporary.iterdir()) == []


def test_without_a_cache_a_raster_stays_in_memory(monkeypatch, tmp_path):
    from easyread.symbols import raster

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("EASYREAD_CACHE_DIR", str(tmp_path / "file" / "cache"))
    made = raster.png(SIMPLE_SVG, 32)
    assert isinstance(made, bytes) and made.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(made)) as image:
        assert image.size == (32, 32)


FULL_DISK = """
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
import easyread
# (not mp3: the limit would pass to espeak-ng, which writes no cache; a real full disk would not stop it)
done = easyread.render_bytes(sys.argv[1], formats=["txt", "json", "docx", "html", "speech.txt"])
print(sorted(done.files), done.unavailable)
try:
    easyread.render_bytes(sys.argv[1], formats=["pdf"])
except easyread.OutputError as err:  # typst reads pictures from files: with no room even for those, say so
    print(err)  # "pdf: ...": the error names its format
"""


def test_a_full_disk_under_the_cache_is_never_an_error(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "EASYREAD_CACHE_DIR": str(tmp_path / "cache"),
           "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(EXAMPLES / "jordan-review-letter.yaml")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    made, pdf = done.stdout.strip().splitlines()
    assert made == "['docx', 'html', 'json', 'speech.txt', 'txt'] []"  # word tables and rasters in memory
    assert pdf.startswith("pdf: the PDF for ") and "could not be made" in pdf
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name.startswith(".")]  # no scraps


def test_symbol_sheet_draws_png_and_pdf(tmp_path):
    for name in ("sheet.png", "sheet.pdf"):
        result = run_cli("symbols", "sheet", "-o", tmp_path / name)
        assert result.returncode == 0 and (tmp_path / name).stat().st_size > 10_000
    with Image.open(tmp_path / "sheet.png") as image:
        assert image.width >= 1000 and image.height >= 1000


# --- the shipped examples -----------------------------------------------------------------------

KEYED = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def scores():
    """Every shipped example's pictures scored against its judged key (tests/picture_key), symbols even for photos."""
    from bench.picture_key import KEYS, compose_for_key
    from easyread.inputs.loader import read_yaml
    from easyread.picture_review import score

    return {path.name: (score(document := compose_for_key(path), read_yaml((KEYS / path.name).read_text())), document)
            for path in KEYED}


@pytest.mark.parametrize("example", KEYED, ids=lambda p: p.name)
@pytest.mark.slow
def test_every_example_has_a_judged_key_for_every_statement(scores, example):
    result, _ = scores[example.name]
    assert result.unjudged == [], f"judge these statements in tests/picture_key/{example.name} by reading them"


@pytest.mark.parametrize("example", KEYED, ids=lambda p: p.name)
def test_no_picture_says_the_opposite_and_none_is_everywhere(scores, example):
    result, document = scores[example.name]
    assert result.opposite == []
    # no picture on more than a tenth of the rows; in a short letter, on no more than 4
    assert result.most_used[1] * result.pictured <= max(0.10 * result.pictured, 4), result.most_used
    for block in pictured_blocks(document):
        if block.symbol:
            assert block.symbol in document.symbols, block.symbol


def test_pictures_match_the_judged_keys(scores):
    """Precision at least 95% over every example; coverage at least 70% in each one the gate lets through."""
    results = [result for result, _ in scores.values()]
    pictured, right = sum(r.pictured for r in results), sum(r.right for r in results)
    wrong = [line for r in results for line in r.wrong]
    assert right / pictured >= 0.95, f"precision {right / pictured:.1%}; wrong: {wrong}"
    for name, (result, document) in scores.items():
        # the too-dense plan is refused for easy read: its long sentences rightly get few pictures; in boxes (a
        # one-page profile, a passport) only the headings have pictures
        if "too-dense" not in name and not document.boxes:
            assert result.coverage >= 0.70, (name, result.coverage)


OTHERS = Path(__file__).parent / "picture_key" / "others"
# strict precision on plans written by people who had not read the chooser, each statement judged by someone else
# who had not seen its picture (generic counts as a miss): the goal, 90%, which the chooser reaches on these plans
# (bench/picture_key.py prints the figures and every miss; plans no one here has seen score lower: docs/symbols.md)
OTHERS_PRECISION, OTHERS_COVERAGE = 0.90, 0.80


@pytest.mark.slow
def test_pictures_on_plans_written_by_others_match_their_judged_key():
    """Strict precision over plans the project did not write at least the floor, no opposite, coverage 80%."""
    from bench.picture_key import compose_for_key
    from easyread.inputs.loader import read_yaml
    from easyread.picture_review import score

    results = [score(compose_for_key(plan), read_yaml((OTHERS / "keys" / plan.name).read_text()))
               for plan in sorted(OTHERS.glob("*.yaml"))]
    assert len(results) >= 8
    unjudged = [line for r in results for line in r.unjudged]
    assert not unjudged, f"new statements: judge them in {OTHERS / 'keys'} by reading them: {unjudged}"
    assert [line for r in results for line in r.opposite] == []
    pictured, right = sum(r.pictured for r in results), sum(r.right for r in results)
    statements = sum(r.statements for r in results)
    wrong = [line for r in results for line in r.wrong]
    assert right / pictured >= OTHERS_PRECISION, f"strict precision {right / pictured:.1%}; misses: {wrong}"
    assert pictured / statements >= OTHERS_COVERAGE, f"coverage {pictured / statements:.1%}"


REQUIRED = ["doctor", "medicine", "house", "money", "friend", "calendar", "phone", "bus", "food", "bed", "shower",
            "wheelchair", "happy", "sad", "meeting", "question", "yes", "no"]
EXPECTED = {"house": "home", "food": "eat"}


@pytest.mark.parametrize("word", REQUIRED)
def test_the_required_words_choose_a_sensible_picture(word):
    chosen = symbol_set().find(word)
    assert chosen is not None and chosen.name == EXPECTED.get(word, word)
    assert symbol_set().concepts[chosen.name].code  # a real OpenMoji picture


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Take your tablets with water.", "medicine"),
        ("The nurse will visit on Friday.", "nurse"),
        ("You live in a flat.", "flat"),
        ("Kim helps you with the cooking.", "cook"),
        ("You have a shower every morning.", "shower"),
        ("You wash your clothes on Sunday.", "wash"),
        ("Your rent is paid from your bank.", "rent"),
        ("Your bills come every month.", "bill"),
        ("The council pays your bills.", "council"),
        ("You get a direct payment.", "direct-payment"),
        ("Your personal budget pays for your support.", "budget"),
        ("Book a taxi to the hospital.", "taxi"),
        ("You go to college on the train.", "college"),
        ("You use a walking stick outside.", "walking-aid"),
        ("Your glasses are in the kitchen drawer.", "glasses"),
        ("Wear your hearing aid when you go out.", "hearing-aid"),
        ("In an emergency ring 999.", "emergency"),
        ("If you feel worried, talk to Kim.", "talk"),  # the main clause says what to do
        ("You feel worried at night.", "worried"),
        ("The carers help you wash and dress.", "wash"),  # what the helpers do, not who they are
        ("A carer comes every morning.", "carer"),
        ("You feel tired in the afternoon.", "tired"),
        ("Tell us if you are in pain.", "pain"),
        ("You want to stay safe at home.", "safe"),
        ("You can make a complaint.", "complain"),
        ("An advocate can help you speak up.", "advocate"),
        ("Your social worker is Sam.", "social-worker"),
        ("Your carer comes at 8am.", "carer"),
        ("You would like a job in a cafe.", "work"),
        ("Your review is in March.", "review"),
        ("We will look at your plan again.", "plan"),
        ("Please sign here.", "signature"),
        ("We will send you a letter.", "letter"),
        ("You can email Sam.", "email"),
        ("Go to bed by 11pm at night.", "bed"),
        ("You see your friends at the weekend.", "friend"),
        ("You go to the dentist twice a year.", "dentist"),
    ],
)
def test_care_sentences_choose_a_sensible_picture(sentence, expected):
    assert symbol_set().find(sentence).name == expected


def test_list_items_show_their_pictures_in_pdf_word_and_html(plan, write, tmp_path):
    import io

    import docx

    from tests.conftest import pdf_structure, word_pictures

    template = write("t.md.j2", "# Ada's plan\n## :star: What you are good at\n- :tick: You cook well.\n"
                                "- :phone: You like your phone.\n- You are kind.\n")
    from easyread import render_bytes

    done = render_bytes(plan, formats=["pdf", "docx", "html"], template=template, profile="easy-read")
    alts = {done.document.symbols[name].alt for name in ("tick", "phone")}
    html = done.content("html").decode("utf-8")
    listed = html.split('<ul class="list pictured">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li") == 3 and all(f'alt="{alt}"' in listed for alt in alts)  # still one list of 3
    word = docx.Document(io.BytesIO(done.content("docx")))
    assert alts <= {picture.get("descr") for picture in word_pictures(word)}
    (tmp_path / "t.pdf").write_bytes(done.content("pdf"))
    kinds, pdf_alts = pdf_structure(tmp_path / "t.pdf")
    assert alts <= set(pdf_alts) and "/L" in kinds and kinds.count("/LI") == 3
    large = render_bytes(plan, formats=["html"], template=template, profile="large-print").content("html").decode()
    assert '<ul class="list">' in large and '<ul class="list pictured">' not in large


def test_timetable_rows_show_their_pictures_in_pdf_word_and_html(plan, tmp_path):
    import io

    import docx

    from easyread import render_bytes
    from tests.conftest import pdf_structure

    done = render_bytes(plan, formats=["pdf", "docx", "html"], profile="easy-read")
    table = next(b for s in sections(done.document) for b in s.blocks if b.type == "table")
    assert [(row.text.split()[0], row.symbol) for row in table.rows] == [("Monday", "shopping"), ("Wednesday", "cook")]
    alts = {done.document.symbols[name].alt for name in ("shopping", "cook")}
    html = done.content("html").decode("utf-8")
    body = html.split("<table>", 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Picture</th>' in body and body.count('<td class="table-symbol"><img') == 2
    assert all(f'alt="{alt}"' in body for alt in alts) and body.count('<th scope="row">') == 2  # the day heads the row
    word = docx.Document(io.BytesIO(done.content("docx")))
    grid = next(t for t in word.tables if len(t.columns) == 5)  # the timetable: its 5 columns
    assert [cell.text for cell in grid.rows[0].cells][:2] == ["Day", "Picture"]
    in_cells = {el.get("descr") for row in grid.rows[1:] for el in row.cells[1]._tc.iter() if el.tag.endswith("docPr")}
    assert in_cells == alts and grid.columns[1].width < grid.columns[4].width  # a narrow picture column
    (tmp_path / "t.pdf").write_bytes(done.content("pdf"))
    kinds, pdf_alts = pdf_structure(tmp_path / "t.pdf")
    assert alts <= set(pdf_alts) and "/Table" in kinds
    large = render_bytes(plan, formats=["html"], profile="large-print").content("html").decode()
    assert "Picture</th>" not in large and "<td class=\"table-symbol\"" not in large


def test_one_picture_beside_too_many_lines_is_reported(plan, write):
    from easyread.readability import check

    others = ("cook", "phone", "bus", "doctor", "money", "tick", "calendar", "home")
    # each help line between two others: side by side, the same picture would share one row
    lines = "".join(f":help: You can ring Tom on day {n}.\n:{other}: You see {other}.\n" for n, other in enumerate(others))
    template = write("t.md.j2", f"# Ada's plan\n{lines}")
    (finding,) = [f for f in check(compose(plan, template=template)).findings if f.rule == "picture-variety"]
    assert (finding.level, finding.words, finding.numbers["count"], finding.numbers["pictures"]) == ("warn", ("help",), 8, 16)
    assert "beside 8 of 16 lines" in finding.message
    together = write("s.md.j2", "# Ada's plan\n" + "".join(f":help: You can ring Tom on day {n}.\n" for n in range(6))
                     + "".join(f":{other}: {other.title()} is here.\n" for other in others))
    (finding,) = [f for f in check(compose(plan, template=together)).findings if f.rule == "picture-variety"]
    assert (finding.numbers["count"], finding.numbers["pictures"]) == (3, 11)  # six lines side by side: rows of two
    varied = write("v.md.j2", "# Ada's plan\n" + "".join(f":{name}: You see {name}.\n" for name in (
        "cook", "phone", "bus", "doctor", "money", "tick", "calendar", "home", "help", "friday", "tea")))
    assert not [f for f in check(compose(plan, template=varied)).findings if f.rule == "picture-variety"]
    assert not [f for f in check(compose(plan, template=template, profile="large-print")).findings
                if f.rule == "picture-variety"]  # no pictures in large print
    # contact cards carry one mark each, by design: five cards with the contact picture are not one picture too many
    cards = "".join(f"@contact :contact:\nname: Person {n}\nphone: 01632 960 10{n}\n\n" for n in range(5))
    letter = write("c.md.j2", "# Ada's plan\n" + "".join(f":{name}: {name.title()} is here.\n" for name in others) + cards)
    assert not [f for f in check(compose(plan, template=letter)).findings if f.rule == "picture-variety"]


@pytest.mark.parametrize(("text", "not_this", "this"), [
    ("You need help to plan and cook meals.", "plan", "cook"),
    ("Staff will lift you into the bath.", "lift", "bath"),
    ("Plan your week with your sister.", "plan", None),
    ("She sees few people and has little social contact.", "contact", None),
])
def test_a_word_used_in_another_sense_does_not_choose_its_picture(text, not_this, this):
    choice = symbol_set().find(text)
    assert choice is None or choice.name != not_this
    if this:
        assert choice is not None and choice.name == this


@pytest.mark.parametrize(("text", "name"), [
    ("Your plan says what help you get.", "plan"), ("There is a lift to the second floor.", "lift"),
    ("Your contacts are on the last page.", "contact"), ("You might fall on the stairs at night.", "fall"),
])
def test_the_same_words_in_their_own_sense_still_choose(text, name):
    assert symbol_set().find(text).name == name


@pytest.mark.parametrize(("text", "not_this"), [
    ("Learn the stops on the way to college.", "stopped"), ("Get off at the next stop.", "stopped"),
    ("You listen to music in your room.", "listen"),
])
def test_a_noun_that_is_a_verb_elsewhere_and_a_weak_word_beside_a_strong_one_do_not_choose(text, not_this):
    choice = symbol_set().find(text)
    assert choice is None or choice.name != not_this


@pytest.mark.parametrize(("text", "name"), [
    ("The council does not have to pay for your cleaner.", None),  # the council's picture would say it pays
    ("You need help with your washing too.", "laundry"), ("Have a cup of tea with your friend.", "tea"),
    ("5pm: tea and tablets", "medicine"), ("You live on your own.", "home"),
])
def test_who_does_not_and_which_washing_and_which_tea(text, name):
    choice = symbol_set().find(text)
    assert (choice.name if choice else None) == name


@pytest.mark.parametrize(("text", "name"), [
    ("You use your tablet and phone well.", "tablet-computer"), ("Take 1 tablet at night.", "medicine"),
    ("You set a limit on your games account.", "video-games"), ("You wear noise-cancelling headphones.", "headphones"),
    ("The changing rooms are hard to use.", "swimming"),
])
def test_a_phrase_says_which_thing_a_word_means(text, name):
    assert symbol_set().find(text).name == name


@pytest.mark.parametrize(("text", "name"), [
    ("You work hard at your exercises.", "strengths"), ("Talking is hard work.", "tired"),
    ("You go to work on Mondays.", "work"), ("Find a raised bed for the back garden.", "garden"),
])
def test_work_as_effort_and_a_bed_in_a_garden(text, name):
    assert symbol_set().find(text).name == name
