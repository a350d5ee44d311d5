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
MEASURED_SECONDS = 60  # the voice is the same throughout: a minute of it, taken evenly, measures it
LIMITER_WINDOW = 0.005  # seconds: each peak turned down over 5 ms either side, too short to hear
SLICE_SECONDS = 30  # the limiter works on slices, so minutes of audio are never all in floating point
MIN_PAUSE = 0.2  # seconds: a run of digital silence at least this long is a pause (not a stop consonant)
PAUSE_LIMITS = (0.35, 1.0)  # seconds: the average pause after fitting, never shorter nor longer


def fit_pauses(pieces: list[bytes], words: int, rate: int, sample_rate: int, other_pauses: float = 0.0) -> float:
    """Make every pause in the pieces (16-bit PCM, replaced in the list one by one, so the audio is never
    held twice) longer or shorter by one factor, so that they, with `other_pauses` seconds of silence put
    between them, last as long as `words` at `rate`; the factor."""
    import numpy as np

    runs = [_pauses(np.frombuffer(piece, "<i2"), sample_rate) for piece in pieces]
    count = sum(len(found) for found in runs)
    silent = sum(end - start for found in runs for start, end in found) / sample_rate
    if not count or not words:
        return 1.0
    speaking = sum(len(piece) for piece in pieces) / 2 / sample_rate - silent
    wanted = words / rate * 60 - speaking - other_pauses
    scale = min(max(wanted / count, PAUSE_LIMITS[0]), PAUSE_LIMITS[1]) * count / silent
    for index, found in enumerate(runs):
        pieces[index] = _scaled(np.frombuffer(pieces[index], "<i2"), found, scale)
    return scale


def with_pauses_scaled(pcm: PCM, scale: float, sample_rate: int) -> bytes:
    """The 16-bit PCM with every pause `scale` times as long (the sound itself unchanged)."""
    import numpy as np

    samples = np.frombuffer(pcm, "<i2")
    return _scaled(samples, _pauses(samples, sample_rate), scale)


def _scaled(samples: Any, runs: list[tuple[int, int]], scale: float) -> bytes:
    import numpy as np

    if scale == 1.0 or not runs:
        return bytes(samples.tobytes())
    kept, position = [], 0
    for start, end in runs:
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

    views = [np.frombuffer(piece, "<i2") for piece in pieces]
    total, measured = sum(len(samples) for samples in views), MEASURED_SECONDS * sample_rate
    if total < sample_rate:  # under a second: too short for a loudness block; left as it is
        return 0.0
    if total <= measured:
        heard = np.concatenate(views)
    elif len(views) == 1:  # ten-second slices, evenly through the recording (views: nothing copied but them)
        size = 10 * sample_rate
        heard = np.concatenate([views[0][start:start + size]
                                for start in np.linspace(0, total - size, measured // size).astype(int)])
    else:  # pieces taken evenly through the recording, about MEASURED_SECONDS of them
        heard = np.concatenate(views[::-(-total // measured)])
    meter = pyloudnorm.Meter(sample_rate)
    loudness = meter.integrated_loudness(heard.astype(np.float32) / 32768.0)
    if not np.isfinite(loudness):
        return 0.0
    # the limiter takes a little off the loudness (more, the more it turns down): measured once more with it
    gain, limited = TARGET_LUFS - loudness, bytearray(heard.tobytes())
    make_louder(limited, gain, sample_rate)
    return float(gain + TARGET_LUFS - meter.integrated_loudness(np.frombuffer(limited, "<i2") / 32768.0))


def make_louder(pcm: bytearray, gain_db: float, sample_rate: int) -> None:
    """Make the 16-bit PCM `gain_db` louder, in place, each peak over the ceiling turned down over a few
    milliseconds: minutes of audio are never copied, and only a slice at a time is in floating point."""
    import numpy as np
    from scipy.ndimage import minimum_filter1d, uniform_filter1d  # type: ignore[import-untyped]

    samples = np.frombuffer(pcm, "<i2")  # a view: written in place
    if gain_db == 0.0 or not len(samples):
        return
    gain, window = 10 ** (gain_db / 20) / 32768.0, max(1, int(LIMITER_WINDOW * sample_rate))
    size, margin, before = SLICE_SECONDS * sample_rate, 2 * window, None
    for start in range(0, len(samples), size):
        # the slice with a margin either side, so a peak at its edge is turned down whole; the margin before
        # it as it was, before the slice before was written over
        low, end = max(start - margin, 0), min(start + size, len(samples))
        sound = samples[low:min(end + margin, len(samples))].astype(np.float32)
        if before is not None:
            sound[:start - low] = before
        before = sound[end - margin - low:end - low].copy() if end - margin >= low else None
        sound *= gain
        if np.abs(sound).max() > CEILING:
            needed = np.minimum(1.0, CEILING / np.maximum(np.abs(sound), 1e-9))
            # the least gain near each sample, averaged over half that span: never above what a peak needs
            sound *= uniform_filter1d(minimum_filter1d(needed, size=2 * window + 1), size=window + 1)
        samples[start:end] = np.round(sound[start - low:end - low] * 32767.0)
