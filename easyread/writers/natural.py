"""The natural voice: hibari-tts (Kokoro-82M distilled to 8 MB), voice "heart", American English, female.

An optional extra (`pip install 'easyread[voice]'`). The voice's model file is inside hibari's
own wheel and is loaded from there by path, so nothing is ever downloaded; hibari's other voices
(its British ones among them) download on first use, and easyread never asks for them. (The
bundled voice given hibari's British spelling-to-sound rules is no British voice: distilled on
American sounds, it said "home" as "hem", and Whisper misheard 17.2% of margaret-plan's first
3 minutes, against 6.9% for espeak-ng's British English.) Each line
of the speech script is spoken on its own and followed by a short silence, which is also what
lets the audio say where each sentence starts.

onnxruntime (which runs the model) has, since 1.30, Microsoft's telemetry built in on Linux and
macOS: it would send usage events and leave a `.ses` file in the temporary folder. A council's
plans never leave its machine, so it is turned off (ORT_DISABLE_TELEMETRY=1, read when
onnxruntime starts) before onnxruntime is first imported.
"""

from __future__ import annotations

import os
import re
import threading
import zlib
from functools import lru_cache, partial
from typing import Any

from easyread.errors import WriterUnavailable
from easyread.writers.plan import Clips

VOICE = "heart"
VOICE_NAME = "heart (American English, female)"
SAMPLE_RATE = 24000
WPM_AT_SPEED_1 = 162  # the speed for a rate is rate / 162 (0.80 for 130): the fitted pauses then average about 0.6 s
SPEEDS = (0.5, 2.0)  # the model's range
# The model starts each sentence with about 0.35 s of silence and ends it with 0.55 s; with a pause of our own
# after it, lines were 1.4 s apart and the voice 13-16% slower than the rate asked for. Its silence is cut
# (the sound's own fade kept) and the pause after a sentence is ours alone.
SENTENCE_PAUSE = 0.6  # seconds after each sentence, before the pauses are fitted to the rate (mastering.py)
QUIET = 100  # of 32767: about -50 dBFS, below the softest sound the voice makes ("s", "f")
KEPT_EDGE = 0.04  # seconds of the model's silence kept before and after the sound
# hibari reads "no." as the abbreviation "number" ("say no." was said "say number"), so a sentence that ends
# with the word "no" has a space before its full stop: the same sound, and the full stop still ends it
WORD_NO = re.compile(r"\b([Nn]o)\.(?!\s*\d)")
INSTALL = "pip install 'easyread[voice]' (bash scripts/install.sh installs it), or use the British voice: --voice british"


class NaturalSpeaker:
    """hibari's model and its spelling-to-sound rules: the model may run on several threads at once, the
    spelling-to-sound step (a tagger with state) one line at a time."""

    engine = "hibari-tts"
    voice = VOICE_NAME
    sample_rate = SAMPLE_RATE

    def __init__(self, tts: Any) -> None:
        self.tts = tts
        self.spelling = threading.Lock()

    def speed(self, rate: int) -> float:
        """The model's speed for a speech rate in words a minute."""
        return min(max(rate / WPM_AT_SPEED_1, SPEEDS[0]), SPEEDS[1])

    def part(self, lines: list[str], rate: int, clips: Clips | None = None) -> bytes:
        """Mono 16-bit PCM at 24 kHz: each line, then a short silence. The same words give the same audio
        (the model's noise is seeded from them), so a render can be repeated byte for byte."""
        return b"".join(self.lines(lines, rate, clips))

    def lines(self, lines: list[str], rate: int, clips: Clips | None = None) -> list[bytes]:
        """Each line's audio, a pause after each of its sentences (an empty line has none)."""
        speed, pause = self.speed(rate), b"\0\0" * int(SAMPLE_RATE * SENTENCE_PAUSE)
        spoken = []
        for line in lines:
            out = bytearray()
            if line.strip():
                with self.spelling:
                    phonemes = self.tts.phonemize(WORD_NO.sub(r"\1 .", line))
                for chunk in phonemes:  # a sentence: the MP3 and the read-along book of one render say it once
                    said = partial(self.pcm, chunk, speed)
                    out += clips.get((VOICE, chunk, speed), said) if clips is not None else said()
                    out += pause
            spoken.append(bytes(out))
        return spoken

    def pcm(self, phonemes: str, speed: float) -> bytes:
        """One sentence's sounds spoken: its noise seeded from them, so the same words give the same audio."""
        import numpy as np

        audio = self.tts.from_ids(self.tts.ids(phonemes), speed, np.random.default_rng(zlib.crc32(phonemes.encode())))
        samples = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
        return trimmed(samples).tobytes()  # type: ignore[no-any-return]


def trimmed(samples: Any) -> Any:
    """A sentence's samples without the model's own silence before and after its sound (a little kept)."""
    import numpy as np

    sound = np.flatnonzero(np.abs(samples.astype(np.int32)) > QUIET)
    if not len(sound):
        return samples[:0]
    edge = int(SAMPLE_RATE * KEPT_EDGE)
    return samples[max(sound[0] - edge, 0):sound[-1] + edge + 1]


@lru_cache(maxsize=1)
def natural_speaker() -> NaturalSpeaker:
    """The natural voice, loaded once per process from the installed package; WriterUnavailable if missing."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime starts: no events sent, no files left
    try:
        from hibari import Hibari  # type: ignore[import-untyped]  # hibari ships no type hints
        from hibari.voices import voice_path  # type: ignore[import-untyped]
    except ImportError:
        raise WriterUnavailable(f"the natural voice is not installed; {INSTALL}") from None
    try:
        model = voice_path(VOICE, download_missing=False)  # in the package: never a download
        return NaturalSpeaker(Hibari(voice=VOICE, model=model, threads=1))
    except (OSError, ValueError, RuntimeError) as err:  # onnxruntime's load errors are RuntimeErrors
        raise WriterUnavailable(f"the natural voice could not be loaded ({err}); {INSTALL}") from None
