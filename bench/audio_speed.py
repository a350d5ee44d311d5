"""How fast the spoken version is, in each voice: python bench/audio_speed.py

jordan-plan as MP3, end to end from the plan file, each voice in a process of its own so each
peak memory is its own (goals: the natural voice at least 20x faster than real time, in seconds
of audio per second of wall time, with peak memory under 500 MB; espeak-ng at least 30x and
under 300 MB), then one part of 5,000 words in the British voice (goal: under 60 s; pyttsx3
took 71 s).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import easyread  # noqa: E402

PLAN = ROOT / "examples" / "jordan-plan.yaml"
GOALS = {"natural": (20, 500), "british": (30, 300)}  # times real time at least, peak MB at most


def measure(voice: str) -> dict[str, float | str]:
    """jordan-plan spoken in one voice, in this process."""
    from mutagen.mp3 import MP3

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        done = easyread.render(PLAN, formats=["mp3"], outdir=folder, voice=voice)
        elapsed = time.perf_counter() - start
        length = MP3(done.paths[0]).info.length
        size = done.paths[0].stat().st_size
    return {"voice": done.voice or voice, "minutes": length / 60, "mb": size / 1e6, "seconds": elapsed,
            "times": length / elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    for voice, (times, peak) in GOALS.items():
        found = json.loads(subprocess.run([sys.executable, __file__, voice], capture_output=True, text=True,
                                          check=True).stdout)
        print(f"{PLAN.name}, {found['voice']}: {found['minutes']:.1f} minutes of audio ({found['mb']:.1f} MB MP3) "
              f"in {found['seconds']:.1f} s: {found['times']:.0f}x real time (goal >= {times}x); "
              f"peak memory {found['peak_mb']:.0f} MB (goal < {peak} MB)")
    long_part()


def long_part() -> None:
    """One part of about 5,000 words, spoken by espeak-ng in one go."""
    from easyread.document import Document, Run, Section, Source, Statement
    from easyread.inputs.profile import get_profile
    from easyread.presentation.layout import Layout
    from easyread.writers import audio

    source = Source(template="bench", line=1)
    sentences = ["You can go to the shops on Monday with Kim and buy some bread."] * 385
    document = Document(kind="plan", title="Long", profile="easy-read", blocks=[Section(
        heading=[Run(text="A long part")], level=2, source=source,
        blocks=[Statement(runs=[Run(text=line)], source=source) for line in sentences])])
    start = time.perf_counter()
    recording = audio.record(document, Layout.of(document, get_profile("easy-read").with_voice("british")))
    elapsed = time.perf_counter() - start
    print(f"one part of {len(recording.script.text().split())} words: {recording.seconds / 60:.1f} minutes of audio "
          f"in {elapsed:.1f} s (goal < 60 s)")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
    else:
        main()
