"""The last steps before a recording is encoded, the same for every voice and every audio format: its
pauses fitted to the person's rate, then its loudness set to one target.

- **Pace.** A voice's pace in words a minute depends on the words (long ones take longer, a digit
  is quick), so no speed setting keeps every document to the rate asked for: the natural voice
  was 13-16% slow. The words are said at the voice's speed for the rate, then the pauses between
  sentences (runs of silence the voices make or are given) are made longer or shorter, all by
  the same factor, so the recording lasts as long as its words at the rate, within limits that
  keep a pause a pause.
- **Loudness.** -18 LUFS integrated (ITU-R BS.1770, as EBU R128 measures it), the AES
  recommendation for streamed speech (TD1008), with peaks held 3 dB below full scale: the WAV's
  true peak stays under -1 dBTP, the MP3's under 0 (its encoder overshoots by up to 1 dB).
  Measured with pyloudnorm, the reference implementation of BS.1770 in Python; the natural voice
  was about -26 LUFS and espeak-ng -21, so a listener turned the volume up and down between
  voices and formats. The natural voice's peaks are about 22 dB above its loudness, so a few,
  each a few milliseconds long, are turned down (a look-ahead limiter) rather than clipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PCM = bytes | bytearray | memoryview  # 16-bit mono samples, little-endian

TARGET_LUFS = -18.0
CEILING = 10 ** (-3.0 / 20)  # of full scale: room for the overshoot between samples and the MP3's own
MEASURED_SECONDS = 180  # the voice is the same throughout: up to 3 minutes, taken evenly, measure it
LIMITER_WINDOW = 0.005  # seconds: each peak turned down over 5 ms either side, too short to hear
SLICE_SECONDS = 30  # the limiter works on slices, so minutes of audio are never all in floating point
MIN_PAUSE = 0.2  # seconds: a run of digital silence at least this long is a pause (not a stop consonant)
PAUSE_LIMITS = (0.35, 1.0)  # seconds: the average pause after fitting, never shorter nor longer


def pause_scale(pieces: Sequence[PCM], words: int, rate: int, sample_rate: int, other_pauses: float = 0.0) -> float:
    """The factor for every pause in the pieces (16-bit PCM) that makes them, with `other_pauses` seconds of
    silence put between them, last as long as `words` at `rate`."""
    import numpy as np

    pauses = [run for piece in pieces for run in _pauses(np.frombuffer(piece, "<i2"), sample_rate)]
    if not pauses or not words:
        return 1.0
    silent = sum(end - start for start, end in pauses) / sample_rate
    speaking = sum(len(piece) for piece in pieces) / 2 / sample_rate - silent
    wanted = words / rate * 60 - speaking - other_pauses
    average = min(max(wanted / len(pauses), PAUSE_LIMITS[0]), PAUSE_LIMITS[1])
    return average * len(pauses) / silent


def with_pauses_scaled(pcm: PCM, scale: float, sample_rate: int) -> bytes:
    """The 16-bit PCM with every pause `scale` times as long (the sound itself unchanged)."""
    import numpy as np

    samples = np.frombuffer(pcm, "<i2")
    if scale == 1.0:
        return bytes(pcm)
    kept, position = [], 0
    for start, end in _pauses(samples, sample_rate):
        kept += [samples[position:start], np.zeros(round((end - start) * scale), "<i2")]
        position = end
    kept.append(samples[position:])
    return np.concatenate(kept).tobytes()


def _pauses(samples: Any, sample_rate: int) -> list[tuple[int, int]]:
    """(start, end) of every run of zero samples at least MIN_PAUSE long."""
    import numpy as np

    edges = np.diff(np.concatenate(([0], (samples == 0).view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = ends - starts >= MIN_PAUSE * sample_rate
    return list(zip(starts[long].tolist(), ends[long].tolist()))


def loudness_gain(pieces: Sequence[PCM], sample_rate: int) -> float:
    """The gain in dB that brings the pieces (16-bit PCM, one recording) to TARGET_LUFS."""
    import numpy as np
    import pyloudnorm  # type: ignore[import-untyped]  # no type hints

    samples = np.concatenate([np.frombuffer(piece, "<i2") for piece in pieces] or [np.zeros(0, "<i2")])
    if len(samples) < sample_rate:  # under a second: too short for a loudness block; left as it is
        return 0.0
    size, measured = 10 * sample_rate, MEASURED_SECONDS * sample_rate
    if len(samples) > measured:  # ten-second slices, evenly through the recording
        starts = np.linspace(0, len(samples) - size, measured // size).astype(int)
        samples = np.concatenate([samples[start:start + size] for start in starts])
    meter = pyloudnorm.Meter(sample_rate)
    loudness = meter.integrated_loudness(samples.astype(np.float32) / 32768.0)
    if not np.isfinite(loudness):
        return 0.0
    # the limiter takes a little off the loudness (more, the more it turns down): measured once more with it
    gain = TARGET_LUFS - loudness
    limited = np.frombuffer(louder(samples.tobytes(), gain, sample_rate), "<i2").astype(np.float32) / 32768.0
    return float(gain + TARGET_LUFS - meter.integrated_loudness(limited))


def louder(pcm: PCM, gain_db: float, sample_rate: int) -> bytearray:
    """The 16-bit PCM made `gain_db` louder, each peak over the ceiling turned down over a few milliseconds."""
    import numpy as np
    from scipy.ndimage import minimum_filter1d, uniform_filter1d  # type: ignore[import-untyped]

    samples, louder_pcm = np.frombuffer(pcm, "<i2"), bytearray(len(pcm) // 2 * 2)
    out = np.frombuffer(louder_pcm, "<i2")  # a view: the result is written once, where it is returned
    if gain_db == 0.0:
        out[:] = samples
        return louder_pcm
    gain, window = 10 ** (gain_db / 20) / 32768.0, max(1, int(LIMITER_WINDOW * sample_rate))
    size = SLICE_SECONDS * sample_rate
    for start in range(0, len(samples), size):
        # the slice with a window's margin either side, so a peak at its edge is turned down whole
        low, high = max(start - 2 * window, 0), min(start + size + 2 * window, len(samples))
        sound = samples[low:high].astype(np.float32) * gain
        if np.abs(sound).max() > CEILING:
            needed = np.minimum(1.0, CEILING / np.maximum(np.abs(sound), 1e-9))
            # the least gain near each sample, averaged over half that span: never above what a peak needs
            sound *= uniform_filter1d(minimum_filter1d(needed, size=2 * window + 1), size=window + 1)
        end = min(start + size, len(samples))
        out[start:end] = np.round(sound[start - low:end - low] * 32767.0)
    return louder_pcm
