"""An independent check of the EPUB's read-along timing: python bench/read_along.py [EXAMPLE ...]

For each clip of a book's media overlays, Whisper base (bench/listen.py's listener) hears only that
clip's span of the audio, and what it heard is compared with the words of the element the clip
points at, and with its neighbours' words. A clip is in step when what was heard is nearer its
own sentence than the sentence before or after it. Reports, for each example and voice: clips
heard, clips in step (goal: all), and the word error rate of the whole book heard clip by clip.

Needs the `listen` extra, as bench/listen.py does. Writes its section of bench/EPUB.md.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from listen import error_rate, hear, model_folder, names, pieces, words  # noqa: E402

import easyread  # noqa: E402

SMIL = "{http://www.w3.org/ns/SMIL}"
SECTION = "## Read along, heard clip by clip"
DEFAULT = ("jordan-review-letter", "dylan-change-letter")


def seconds(clock: str) -> float:
    hours, minutes, rest = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def clips(book: zipfile.ZipFile) -> list[tuple[str, str, float, float]]:
    """Every clip of the book: (its text, its audio file, begin, end), in reading order."""
    found = []
    for name in sorted(n for n in book.namelist() if n.endswith(".smil")):
        page = etree.fromstring(book.read(name.removesuffix(".smil") + ".xhtml"))
        # pieces of text apart: a card's lines (<br>), a word to know and its meaning (dt, dd)
        texts = {e.get("id"): " ".join(" ".join(e.itertext()).split()) for e in page.iter() if e.get("id")}
        for par in etree.fromstring(book.read(name)).iter(f"{SMIL}par"):
            audio = par.find(f"{SMIL}audio")
            found.append((texts[par.find(f"{SMIL}text").get("src").split("#")[1]], "EPUB/" + audio.get("src"),
                          seconds(audio.get("clipBegin")), seconds(audio.get("clipEnd"))))
    return found


def check(example: str, voice: str, model: object) -> tuple[int, int, float, float]:
    """(clips, clips in step, word error rate, seconds to hear) for one book."""
    from faster_whisper import decode_audio  # type: ignore[import-not-found]

    data = easyread.render_bytes(ROOT / "examples" / f"{example}.yaml", formats=["epub"], voice=voice).files["epub"]
    book = zipfile.ZipFile(io.BytesIO(data))
    every = clips(book)
    vocabulary = names(" ".join(text for text, *_ in every))
    audio: dict[str, object] = {}
    start = time.perf_counter()
    in_step, said_all, heard_all = 0, [], []
    for index, (text, file, begin, end) in enumerate(every):
        if file not in audio:
            with tempfile.NamedTemporaryFile(suffix=".mp3") as mp3:
                mp3.write(book.read(file))
                mp3.flush()
                audio[file] = decode_audio(mp3.name, sampling_rate=16000)
        clip = audio[file][int(begin * 16000):int(end * 16000)]  # type: ignore[index]
        # a long clip (a contact card) in pieces cut at its pauses: Whisper hears under 30 seconds at a time
        heard = words(" ".join(hear(model, piece, vocabulary) for piece in pieces(clip)))
        own = words(text)
        neighbours = [words(every[i][0]) for i in (index - 1, index + 1) if 0 <= i < len(every)]
        mine = error_rate(own, heard, vocabulary) if own else 1.0
        if all(mine < error_rate(other, heard, vocabulary) for other in neighbours if other and other != own):
            in_step += 1
        said_all.append(own)
        heard_all.append(heard)
    rate = error_rate(" ".join(said_all), " ".join(heard_all), vocabulary)
    return len(every), in_step, rate, time.perf_counter() - start


def main() -> None:
    from faster_whisper import WhisperModel  # type: ignore[import-not-found]

    model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8")
    examples = sys.argv[1:] or list(DEFAULT)
    lines = [SECTION, "", ("Each clip's span of the audio heard on its own by Whisper base (`bench/read_along.py`), and compared "
              "with the words shown, not the speech script. A clip is in step when what was heard is nearer its own "
              "text than its neighbours'; that is the figure to watch. The word error rate is higher than the MP3's "
              "(bench/RESULTS.md) because each clip is heard without the sentences around it."), "",
             "| example | voice | clips | in step | word error rate | seconds to hear |", "|---|---|---|---|---|---|"]
    for example in examples:
        for voice in ("natural", "british"):
            count, in_step, rate, spent = check(example, voice, model)
            lines.append(f"| {example} | {voice} | {count} | {in_step} ({in_step / count:.0%}) | {rate:.1%} | {spent:.0f} |")
            print(lines[-1], flush=True)
    results = ROOT / "bench" / "EPUB.md"
    text = results.read_text(encoding="utf-8").split(SECTION)[0].rstrip() + "\n\n" + "\n".join(lines) + "\n"
    results.write_text(text, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
