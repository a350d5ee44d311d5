"""The spoken version: the speech script said by a voice, then MP3 or WAV.

Two engines: the natural voice (hibari-tts, American English, see natural.py), the default where
it is installed, and espeak-ng, clear and robotic but British English. The person's recorded need
(`information_needs.voice`) or the render's own choice (`--voice`, the profile's `voice`) picks
one; the engine and voice are named in the MP3's tags and in the render's result.

espeak-ng runs as a process of its own for each part (`espeak-ng --stdout`), the text on
its standard input and the audio back on its output. So nothing is written to disk, the
engine keeps no state in our process (the espeak library inside pyttsx3 is one global
engine that crashed or hung when threads shared it), the parts of one recording and the
renders of several threads are spoken side by side, and a long part is fast (5,000 words
in about 3 s, where pyttsx3 took 71 s). The British English voice is chosen from the
engine's own list, since an unknown voice name would fail only when first spoken.
MP3s carry ID3v2.4 tags: title, artist (the council), the engine and voice, and a CTOC table
of contents with one CHAP chapter per part, with exact start and end times, stored in time
order (many players list chapters in the order they are stored).
"""

from __future__ import annotations

import bisect
import io
import os
import re
import shutil
import struct
import subprocess
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

from easyread.document import Document
from easyread.errors import OutputError, WriterUnavailable
from easyread.presentation.layout import Layout
from easyread.presentation.script import PAUSE_BETWEEN_SECTIONS, Script, script
from easyread.writers.mastering import fit_pauses, loudness_gain, make_louder, with_pauses_scaled
from easyread.writers.plan import Chapter, Clips, Recording, RenderPlan

SAMPLE_RATE = 22050
ESPEAK_VOICES = ("gmw/en", "gmw/en-gb-x-rp", "gmw/en-gb-scotland")  # espeak-ng's British English, best first
MP3_KBPS = 48
ENCODE_BYTES = SAMPLE_RATE * 2 * 10  # 10 seconds of audio at a time
ENCODER_DELAY = 1105  # samples of silence before the sound of each run of frames: lame's 576 and the decoder's 529
INSTALL = "sudo apt-get install espeak-ng"
# espeak-ng says words more clearly at its own pace with a short gap between them than stretched to a slow
# pace: heard back by Whisper (bench/listen.py), 40 ms gaps gave about a third fewer errors at the same words
# a minute. The gaps slow it to about 0.85 of its set speed, so it is set that much faster.
WORD_GAP_10MS = 4
GAPPED_PACE = 0.85
LINE_PAUSE = 0.4  # seconds after a line spoken on its own: espeak-ng leaves a little silence of its own
# What espeak-ng is given, not what the script says: heard back by Whisper (bench/listen.py), espeak-ng's "two
# thousand and twenty-six" was heard as "2020" every time (10 of 10 in three letters), and its weak "to" (t@)
# in "Monday to Friday", "9 in the morning to 5" was lost 5 times; "20 26" is said "twenty twenty-six", as
# people say a year, and "too" gives "to" its full vowel. A year is a number after a month or "in", "since" ...
# ("2050 pounds" is money, and stays as it is).
_YEAR = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
                   r"|(?i:in|since|until|from|by|before|after)) (20)([1-9]\d)\b(?! pounds)")
_TO = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|morning|afternoon|evening|noon) to\b")


def for_espeak(text: str) -> str:
    """The text as espeak-ng is given it: a year said as people say it, "to" between days and times said in full."""
    return _TO.sub(r"\1 too", _YEAR.sub(r"\1 \2 \3", text))


class SpeechEngine(Protocol):
    """A speech engine with one voice: the lines of a part in, mono 16-bit PCM out."""

    @property
    def engine(self) -> str:
        """The engine's name."""
        ...

    @property
    def voice(self) -> str:
        """The voice's name."""
        ...

    @property
    def sample_rate(self) -> int:
        """Samples a second."""
        ...

    def part(self, lines: list[str], rate: int, clips: Clips | None = None) -> bytes | memoryview:
        """The lines spoken at a rate in words a minute; `clips`, each sentence's speech shared in the render."""
        ...

    def lines(self, lines: list[str], rate: int, clips: Clips | None = None) -> list[bytes]:
        """Each line spoken on its own, with the silence after it: where each one starts and ends (read-along)."""
        ...


@dataclass(frozen=True)
class Speaker:
    """The espeak-ng command and its British English voice: nothing else, so any thread may use it."""

    command: str
    voice: str
    engine = "espeak-ng"
    sample_rate = SAMPLE_RATE

    def part(self, lines: list[str], rate: int, clips: Clips | None = None) -> memoryview:
        """The lines of a part, spoken in one go (espeak-ng pauses at each line's end by itself; it says a whole
        part at once, so it shares no sentence's speech)."""
        return self.say("\n".join(lines), rate)

    def lines(self, lines: list[str], rate: int, clips: Clips | None = None) -> list[bytes]:
        """Each line spoken by a process of its own (so its length is known), then a pause as between sentences."""
        pause = b"\0\0" * int(SAMPLE_RATE * LINE_PAUSE)
        return [bytes(self.say(line, rate)) + pause for line in lines]

    def say(self, text: str, rate: int) -> memoryview:
        """Mono 16-bit PCM at 22,050 Hz for some text; OutputError if the engine fails or takes too long."""
        if not text.strip():
            return memoryview(b"")
        timeout = timeout_for(len(text.split()))
        try:
            speed, gap = str(round(rate / GAPPED_PACE)), str(WORD_GAP_10MS)
            done = subprocess.run([self.command, "-b", "1", "-v", self.voice, "-s", speed, "-g", gap, "--stdout"],
                                  input=for_espeak(text).encode("utf-8"), capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"the speech engine did not finish within {timeout:.0f} seconds; nothing was written") from None
        except OSError as err:
            raise WriterUnavailable(f"the speech engine espeak-ng could not be started ({err.strerror}); {INSTALL}") from None
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit code {done.returncode}"]
            raise OutputError(f"the speech engine failed: {reason[0]}")
        return pcm_of(done.stdout)


def timeout_for(words: int) -> float:
    """Seconds to wait for the engine: espeak-ng says over 2,000 words a minute, so this only stops a stuck one."""
    return 30 + words / 20


def pcm_of(wav: bytes) -> memoryview:
    """The samples of the WAV espeak-ng writes to a pipe (its sizes are placeholders, so read to the end)."""
    if wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise OutputError("the speech engine did not return WAV audio")
    position = 12
    while position + 8 <= len(wav):
        chunk, size = wav[position:position + 4], struct.unpack("<I", wav[position + 4:position + 8])[0]
        body = position + 8
        if chunk == b"fmt ":
            _encoding, channels, rate, _byte_rate, _align, bits = struct.unpack("<HHIIHH", wav[body:body + 16])
            if (channels, rate, bits) != (1, SAMPLE_RATE, 16):
                raise OutputError(f"the speech engine returned {channels} channels at {rate} Hz, {bits} bits; "
                                  f"expected 1 at {SAMPLE_RATE} Hz, 16 bits")
        elif chunk == b"data":
            end = body + (len(wav) - body) // 2 * 2
            return memoryview(wav)[body:end]  # a view, not a copy: minutes of audio
        position = body + size + (size & 1)
    raise OutputError("the speech engine returned no audio")


@lru_cache(maxsize=1)
def speaker() -> Speaker:
    """espeak-ng and its British English voice, looked up once per process."""
    command = shutil.which("espeak-ng")
    if command is None:
        raise WriterUnavailable(f"the speech engine espeak-ng is not installed; {INSTALL}")
    try:
        listing = subprocess.run([command, "--voices=en"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as err:
        raise WriterUnavailable(f"the speech engine espeak-ng does not work ({err}); {INSTALL}") from None
    # columns: Pty Language Age/Gender VoiceName File Other-languages
    available = {line.split()[4].lower() for line in listing.splitlines()[1:] if len(line.split()) >= 5}
    voice = next((v for v in ESPEAK_VOICES if v in available), None)
    if voice is None:
        raise WriterUnavailable(f"no British English voice in espeak-ng; {INSTALL}")
    return Speaker(command, voice)


def voice_for(layout: Layout) -> SpeechEngine:
    """The voice for this render: the render's own choice (the profile's `voice`), else the person's recorded
    need, else the natural voice where it is installed and espeak-ng's British English where it is not."""
    from easyread.writers.natural import natural_speaker

    wanted = layout.voice
    if wanted == "british":
        return speaker()
    try:
        return natural_speaker()
    except WriterUnavailable:
        if wanted == "natural":
            raise
        return speaker()


def record(document: Document, layout: Layout, plan: RenderPlan | None = None) -> Recording:
    """The Document's speech script, spoken; the MP3 and WAV of one render share one recording (kept in the plan
    only then: minutes of audio held to the render's end would cost as much memory as the book's speech)."""
    plan = plan or RenderPlan()
    recording = plan.recording or synthesise(script(document, layout.speech_rate_wpm), voice_for(layout), plan.clips)
    if plan.making("mp3", "wav"):
        plan.recording = recording
    plan.said = recording.script  # for the speech script, which a render makes after the audio
    return recording


def said(document: Document, layout: Layout, plan: RenderPlan | None = None) -> Script:
    """The speech script as this render's recording said it, with its measured length; without a recording
    (none made, or its engine missing), with a length estimated from the words."""
    if plan is not None and plan.said is not None:
        return plan.said
    return script(document, layout.speech_rate_wpm)


def synthesise(spoken: Script, voice: SpeechEngine | None = None, clips: Clips | None = None) -> Recording:
    """Speak every part (side by side), fit the pauses to the rate, then say the introduction, which says how
    long the rest lasts; last, the whole made as loud as every recording (mastering.py)."""
    chosen = voice or speaker()
    rate, wpm = chosen.sample_rate, spoken.rate_wpm
    pause = b"\0\0" * int(rate * PAUSE_BETWEEN_SECTIONS)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="easyread-speech") as pool:
        said = list(pool.map(lambda part: bytes(chosen.part(part.lines, wpm, clips)), spoken.sections))
    between = PAUSE_BETWEEN_SECTIONS * len(said)  # the pause after each part counts towards the rate too
    scale = fit_pauses(said, sum(part.words for part in spoken.sections), wpm, rate, between)
    pcm, lengths = bytearray(), []
    for index, section in enumerate(said):
        pcm += section
        pcm += pause
        said[index] = b""  # each part leaves the list as it joins the recording: one copy of the audio, not two
        lengths.append(len(section) + len(pause))
    opening, seconds = b"", len(pcm) / 2 / rate + spoken.introduction().words / wpm * 60
    for _ in range(2):  # said again only if its own length changed the minutes it says
        # the script as said: it says how long the recording really lasts (a new Script; the one given is unchanged)
        spoken = replace(spoken, seconds=seconds)
        intro = spoken.introduction()
        opening = with_pauses_scaled(chosen.part(intro.lines, wpm, clips), scale, rate) + pause
        seconds = (len(pcm) + len(opening)) / 2 / rate
        if replace(spoken, seconds=seconds).introduction().lines == intro.lines:
            break
    pcm[0:0] = opening  # in place: the rest moves along within its buffer
    chapters, position = [], 0
    for title, size in zip([intro.title, *(p.title for p in spoken.sections)], [len(opening), *lengths]):
        samples = size // 2
        chapters.append(Chapter(title, round(position * 1000 / rate), round((position + samples) * 1000 / rate)))
        position += samples
    make_louder(pcm, loudness_gain([pcm], rate), rate)
    return Recording(pcm, chapters, spoken, rate, chosen.engine, chosen.voice)


def wav(recording: Recording) -> bytes:
    """The recording as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(recording.sample_rate)
        sound.writeframes(recording.pcm)
    return out.getvalue()


def mp3(recording: Recording, document: Document) -> bytes:
    """The recording as MP3 (mono, at the voice's rate, 48 kbps) with ID3v2.4 title, artist, voice and chapters."""
    from mutagen import id3 as typed_id3

    id3: Any = typed_id3  # mutagen's frame classes are untyped
    audio, chapters = encoded(recording)
    out = io.BytesIO(audio)
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=3, text=document.title))
    tags.add(id3.TPE1(encoding=3, text=document.author or "easyread"))
    tags.add(id3.TLAN(encoding=3, text="eng"))
    tags.add(id3.TSSE(encoding=3, text=f"easyread; {recording.speaker}"))
    tags.add(id3.TXXX(encoding=3, desc="voice", text=recording.speaker))
    ids = [f"chp{index}" for index in range(len(chapters))]
    tags.add(id3.CTOC(element_id="toc", flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                      child_element_ids=ids, sub_frames=[id3.TIT2(encoding=3, text=document.words["contents"])]))
    for element_id, chapter in zip(ids, chapters):
        tags.add(id3.CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                          sub_frames=[id3.TIT2(encoding=3, text=chapter.title)]))
    out.seek(0)
    tags.save(out, v2_version=4)
    return in_time_order(out.getvalue())


def encoded(recording: Recording) -> tuple[bytes, list[Chapter]]:
    """The recording as MP3 and its chapters' times in it. Runs of whole chapters are encoded side by side,
    one for each core (encoding is a third of the time the MP3 takes, on one core), and joined: MP3 frames
    follow one another, each run starting with the encoder's own short silence (about 0.05 s, inside the
    pause between two chapters). So the times come from the frames each run made, and stay exact."""
    rate, chapters = recording.sample_rate, recording.chapters
    cuts = [round(chapter.start_ms * rate / 1000) * 2 for chapter in chapters[1:]]  # bytes, where chapters meet
    runs = min(os.cpu_count() or 1, len(chapters), 4)
    size = len(recording.pcm)
    ends = sorted({min(cuts, key=lambda cut: abs(cut - size * n / runs)) for n in range(1, runs)}) if cuts else []
    view, starts = memoryview(recording.pcm), [0, *ends]
    pieces = [view[start:end] for start, end in zip(starts, [*ends, size])]

    def run(piece: memoryview) -> bytes:
        out = io.BytesIO()
        encode(piece, rate, out)
        return out.getvalue()

    with ThreadPoolExecutor(max_workers=len(pieces), thread_name_prefix="easyread-mp3") as pool:
        parts = list(pool.map(run, pieces))  # lame lets go of Python while it encodes
    # each chapter's sound is later than in the recording: by the silence the encoder adds at the start of its
    # run, and by what it added to the runs before (their start and their last frame's padding)
    later, added = [], 0
    for piece, part in zip(pieces, parts):
        later.append(added + ENCODER_DELAY)
        added += frame_samples(part, rate) - len(piece) // 2
    timed = [Chapter(chapter.title, 0, 0) for chapter in chapters]
    for chapter, begin, moved in zip(chapters[1:], cuts, timed[1:]):
        extra = later[bisect.bisect_right(starts, begin) - 1]
        moved.start_ms = chapter.start_ms + round(extra * 1000 / rate)
    for chapter, following in zip(timed, timed[1:]):
        chapter.end_ms = following.start_ms  # the silence between them belongs to the chapter it ends
    timed[-1].end_ms = round((len(recording.pcm) // 2 + added) * 1000 / rate)
    return b"".join(parts), timed


def frame_samples(audio: bytes, sample_rate: int) -> int:
    """How many samples the MP3 frames of one encoder's run decode to (MPEG-2 layer III: 576 a frame,
    MPEG-1 at 32 kHz or more: 1152), counted frame by frame from their headers."""
    per_frame, coefficient = (1152, 144) if sample_rate >= 32000 else (576, 72)
    frames, position = 0, 0
    while position + 4 <= len(audio) and audio[position] == 0xFF and audio[position + 1] & 0xE0 == 0xE0:
        padding = (audio[position + 2] >> 1) & 1
        position += coefficient * MP3_KBPS * 1000 // sample_rate + padding
        frames += 1
    return frames * per_frame


def encode(pcm: bytes | bytearray | memoryview, sample_rate: int, out: io.BytesIO) -> None:
    """Mono 16-bit PCM as MP3 (48 kbps), written to out."""
    import lameenc  # type: ignore[import-not-found]  # a compiled module with no type hints

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    view = memoryview(pcm)  # in slices: encoding it all at once needs 3 times its size
    for start in range(0, len(view), ENCODE_BYTES):
        out.write(encoder.encode(bytes(view[start:start + ENCODE_BYTES])))
    out.write(encoder.flush())


def in_time_order(tagged: bytes) -> bytes:
    """The file with its CHAP frames stored in time order. mutagen stores frames shortest first, so a short
    title ("Words to know") came before the introduction; players that list chapters as stored then showed
    them out of order. Each frame keeps its bytes: only the CHAP frames' places among themselves change."""
    if tagged[:3] != b"ID3" or tagged[3] != 4:
        return tagged
    end = 10 + _syncsafe(tagged[6:10])
    frames, position = [], 10
    while position + 10 <= end and tagged[position] != 0:  # frames, then zero padding
        size = 10 + _syncsafe(tagged[position + 4:position + 8])
        frames.append(tagged[position:position + size])
        position += size
    chapters = [frame for frame in frames if frame[:4] == b"CHAP"]
    # a CHAP frame's data: its element id, a zero byte, then its start time in milliseconds (4 bytes)
    timed = iter(sorted(chapters, key=lambda frame: struct.unpack(">I", frame[frame.index(0, 10) + 1:][:4])[0]))
    ordered = [next(timed) if frame[:4] == b"CHAP" else frame for frame in frames]
    return tagged[:10] + b"".join(ordered) + tagged[position:]


def _syncsafe(four: bytes) -> int:
    """An ID3v2.4 size: 7 bits in each of 4 bytes."""
    return (four[0] << 21) | (four[1] << 14) | (four[2] << 7) | four[3]
