"""The read-along EPUB and braille: size, time and pages.

    .venv/bin/python bench/epub.py          # writes bench/EPUB.md and prints it

For jordan-plan: the EPUB's size and render time (median of 3, in a running process, the voice
already loaded) with the natural voice, with espeak-ng's British voice, and without audio; its
minutes of audio and clips; the MP3 alone and with the EPUB in one render. For every example: the BRF's pages.
Not part of the tests.
"""

from __future__ import annotations

import datetime as dt
import io
import platform
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import easyread  # noqa: E402

EXAMPLES = ROOT / "examples"
RUNS = 3
READ_ALONG = "## Read along"  # bench/read_along.py's section of EPUB.md, kept


def timed(formats: tuple[str, ...] = ("epub",), **options: object) -> tuple[float, bytes]:
    easyread.render_bytes(EXAMPLES / "jordan-plan.yaml", formats=list(formats), **options)  # voice and caches loaded
    times, data = [], b""
    for _ in range(RUNS):
        start = time.perf_counter()
        data = easyread.render_bytes(EXAMPLES / "jordan-plan.yaml", formats=list(formats), **options).files[formats[-1]]
        times.append(time.perf_counter() - start)
    return statistics.median(times), data


def audio_minutes(data: bytes) -> tuple[float, int]:
    """The book's length in minutes (its media:duration) and how many clips it has."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        package = book.read("EPUB/package.opf").decode()
        clips = sum(book.read(name).count(b"<par ") for name in book.namelist() if name.endswith(".smil"))
    marker = '<meta property="media:duration">'
    if marker not in package:
        return 0.0, 0
    hours, minutes, seconds = package.split(marker)[1].split("<")[0].split(":")
    return int(hours) * 60 + int(minutes) + float(seconds) / 60, clips


def main() -> None:
    lines = ["# EPUB and braille", "",
             f"{dt.date.today():%d %B %Y}; {platform.machine()}, Python {platform.python_version()}. "
             f"Produced by `bench/epub.py`.", "",
             "## jordan-plan as a read-along EPUB (median of 3, in a running process)", "",
             "| book | seconds | size (MB) | minutes of audio | clips |", "|---|---|---|---|---|"]
    for name, options in (("natural voice (hibari-tts)", {"voice": "natural"}),
                          ("British voice (espeak-ng)", {"voice": "british"}),
                          ("without audio (read_along: false)", {"read_along": False})):
        seconds, data = timed(**options)
        minutes, clips = audio_minutes(data)
        lines.append(f"| {name} | {seconds:.2f} | {len(data) / 1e6:.2f} | {minutes:.1f} | {clips} |")
    # a render that makes the MP3 too says each sentence once for both (easyread.writers.clip)
    alone, _ = timed(("mp3",), voice="natural")
    both, _ = timed(("mp3", "epub"), voice="natural")
    lines += ["", f"With the natural voice, the MP3 alone takes {alone:.2f} s; the MP3 and the EPUB in one render "
              f"take {both:.2f} s, since each sentence is said once for both."]
    lines += ["", "## Braille pages (UEB grade 2, 40 cells by 25 lines)", "", "| example | pages |", "|---|---|"]
    for example in sorted(EXAMPLES.glob("*.yaml")):
        if "too-dense" in example.name:
            continue
        pages = easyread.render_bytes(example, formats=["brf"]).files["brf"].count(b"\f")  # a form feed ends each
        lines.append(f"| {example.stem} | {pages} |")
    results = ROOT / "bench" / "EPUB.md"
    kept = results.read_text(encoding="utf-8").partition(READ_ALONG)[1:] if results.exists() else ("", "")
    text = "\n".join(lines) + "\n" + ("\n" + "".join(kept) if kept[0] else "")  # bench/read_along.py's section
    results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
