"""How fast the spoken version is: python bench/audio_speed.py

The largest example as MP3, end to end from the plan file (goal: at least 30x faster than
real time, in seconds of audio per second of wall time; peak memory under 300 MB), and one
part of 5,000 words (goal: under 60 s; pyttsx3 took 71 s).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import easyread  # noqa: E402


def main() -> None:
    largest = max((p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name),
                  key=lambda p: p.stat().st_size)
    from mutagen.mp3 import MP3

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        done = easyread.render(largest, formats=["mp3"], outdir=folder)
        elapsed = time.perf_counter() - start
        length = MP3(done.paths[0]).info.length
        size = done.paths[0].stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{largest.name}: {length / 60:.1f} minutes of audio ({size / 1e6:.1f} MB MP3) in {elapsed:.1f} s: "
          f"{length / elapsed:.0f}x real time (goal >= 30x); peak memory {peak_mb:.0f} MB (goal < 300 MB)")
    long_part()


def long_part() -> None:
    """One part of about 5,000 words, spoken."""
    from easyread.document import Document, Run, Section, Source, Statement
    from easyread.profile import get_profile
    from easyread.writers import audio

    source = Source(template="bench", line=1)
    sentences = ["You can go to the shops on Monday with Kim and buy some bread."] * 385
    document = Document(kind="plan", title="Long", profile="easy-read", blocks=[Section(
        heading=[Run(text="A long part")], level=2, source=source,
        blocks=[Statement(runs=[Run(text=line)], source=source) for line in sentences])])
    start = time.perf_counter()
    recording = audio.record(document, get_profile("easy-read"))
    elapsed = time.perf_counter() - start
    print(f"one part of {len(recording.script.text().split())} words: {recording.seconds / 60:.1f} minutes of audio "
          f"in {elapsed:.1f} s (goal < 60 s)")


if __name__ == "__main__":
    main()
