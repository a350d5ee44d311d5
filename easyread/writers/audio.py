"""The spoken version: the speech script synthesised by espeak-ng (through pyttsx3), then MP3 or WAV.

Each part (chapter) is synthesised on its own, in chunks of a few hundred words, because
pyttsx3 is very slow on long texts. pyttsx3's first runAndWait() can return before the
file exists, so we wait for every `finished-utterance` and for the files themselves, and
for espeak-ng to be idle before each change and each utterance (see Engine._settle); a
timeout guards the engine. MP3 and WAV of one render share one synthesis. The British
English voice is checked after it is set, since a bad voice name is silently ignored.
MP3s carry ID3v2.4 tags: title, artist (the council) and a CTOC table of contents with
one CHAP chapter per part, with exact start and end times.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from easyread.document import Document
from easyread.errors import OutputError, WriterUnavailable
from easyread.profile import Profile
from easyread.speech import PAUSE_BETWEEN_SECTIONS, Script, script

SAMPLE_RATE = 22050
VOICES = ("gmw/en", "gmw/en-gb-x-rp", "gmw/en-gb-scotland")  # British English, best first
CHUNK_WORDS = 250
MP3_KBPS = 48
ENCODE_BYTES = SAMPLE_RATE * 2 * 10  # 10 seconds of audio at a time
INSTALL = "sudo apt-get install libespeak-ng1 (and pip install pyttsx3)"


@dataclass
class Chapter:
    """A part of the recording: its title and where it starts and ends, in milliseconds."""

    title: str
    start_ms: int
    end_ms: int


@dataclass
class Recording:
    """Mono 16-bit PCM at 22,050 Hz, with its chapters and the script that was spoken."""

    pcm: bytearray
    chapters: list[Chapter]
    script: Script

    @property
    def seconds(self) -> float:
        """How long it lasts."""
        return len(self.pcm) / 2 / SAMPLE_RATE


def rate_for(document: Document, profile: Profile) -> int:
    """Words a minute: the person's recorded rate, else the profile's."""
    return document.needs.speech_rate_wpm or profile.presentation.speech_rate_wpm


def _chunks(text: str) -> list[str]:
    """A part's lines in pieces of at most about CHUNK_WORDS words (whole lines)."""
    chunks, current, count = [], [], 0
    for line in text.splitlines():
        words = len(line.split())
        if current and count + words > CHUNK_WORDS:
            chunks.append("\n".join(current))
            current, count = [], 0
        current.append(line)
        count += words
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]


class Engine:
    """pyttsx3 with the espeak-ng driver, set to a British voice, one synthesis at a time."""

    _lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak

            self.engine = pyttsx3.init("espeak")
        except ImportError:
            raise WriterUnavailable("audio needs pyttsx3: pip install pyttsx3") from None
        except Exception as err:  # the driver fails this way when libespeak-ng is missing
            raise WriterUnavailable(f"the speech engine espeak-ng is not installed ({err}); {INSTALL}") from None
        self._espeak = _espeak
        # Until its first loop pyttsx3 only queues setProperty(), so getProperty() would not show a
        # voice we set: run one empty loop to apply the driver's start-up settings now.
        self.engine.runAndWait()
        self._settle()
        available = {voice.id for voice in self.engine.getProperty("voices")}
        for voice in VOICES:
            if voice in available:
                self.engine.setProperty("voice", voice)
                if self.engine.getProperty("voice") == voice:  # a bad name is ignored silently: check it took
                    self.voice = voice
                    break
        else:
            raise WriterUnavailable(f"no British English voice in espeak-ng; {INSTALL}")

    def _settle(self) -> None:
        """Wait until espeak-ng has no command pending or running.

        espeak-ng applies a new rate through its command queue, and pyttsx3 cancels that queue
        (espeak_Cancel) when a loop starts while it is busy: the rate is then lost and the next
        utterance is spoken too fast. A finished utterance's callback also runs on after its file
        is written. So each change and each utterance ends here, on espeak_Synchronize().
        """
        self._espeak.Synchronize()

    def synthesise(self, texts: list[str], rate: int, folder: Path, timeout: float) -> list[Path]:
        """WAV files for some texts, in order; OutputError if the engine does not finish in time."""
        paths = [folder / f"{index:04d}.wav" for index in range(len(texts))]
        if not texts:
            return paths
        done = threading.Event()
        failure: list[BaseException] = []

        def work() -> None:
            try:
                with Engine._lock:
                    self._run(texts, paths, rate)
            except BaseException as err:  # reported to the caller's thread
                failure.append(err)
            finally:
                done.set()

        threading.Thread(target=work, daemon=True, name="easyread-speech").start()
        if not done.wait(timeout):
            raise OutputError(f"the speech engine did not finish within {timeout:.0f} seconds; nothing was written")
        if failure:
            raise OutputError(f"the speech engine failed: {type(failure[0]).__name__}: {failure[0]}")
        return paths

    def _run(self, texts: list[str], paths: list[Path], rate: int) -> None:
        # One utterance per runAndWait(): the espeak driver keeps only the last file when several
        # are queued, and names its finished-utterance callbacks None.
        engine = self.engine
        engine.setProperty("rate", rate)
        self._settle()
        finished = threading.Event()
        token = engine.connect("finished-utterance", lambda name, completed: finished.set())
        try:
            # the driver prints "Audio saved to ...", sometimes after runAndWait() returns
            with contextlib.redirect_stdout(io.StringIO()):
                for text, path in zip(texts, paths):
                    # The first runAndWait() can return before the file exists: wait for the
                    # callback and the file, and ask again if the file never comes.
                    patience = 3 + len(text.split()) / 40
                    for _attempt in range(3):
                        finished.clear()
                        engine.save_to_file(text, str(path))
                        _run_and_wait(engine)
                        finished.wait(patience)
                        self._settle()
                        if _wait_for(path, patience):
                            break
                    else:
                        raise OutputError("the speech engine did not write its audio file")
        finally:
            engine.disconnect(token)


def _run_and_wait(engine) -> None:
    """runAndWait(), waiting for the previous utterance's loop to close if it is still closing."""
    for _attempt in range(100):
        try:
            engine.runAndWait()
            return
        except RuntimeError:  # "run loop already started": the last one is still finishing
            time.sleep(0.02)
    engine.runAndWait()


def _wait_for(path: Path, seconds: float) -> bool:
    """True once the engine has finished writing `path`, False if it has not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not _complete(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _complete(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes() > 0 or path.stat().st_size > 44
    except (OSError, EOFError, wave.Error):
        return False


_engine: Engine | None = None


@atexit.register
def _close_engine() -> None:
    # Let pyttsx3 tidy up while Python is still whole (its __del__ fails at interpreter exit).
    global _engine
    if _engine is not None:
        _engine = None
        gc.collect()


def engine() -> Engine:
    """The speech engine, started once per process."""
    global _engine
    if _engine is None:
        _engine = Engine()
    return _engine


def _read_pcm(path: Path) -> bytes:
    with wave.open(str(path), "rb") as audio:
        if (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) != (1, 2, SAMPLE_RATE):
            raise OutputError(f"the speech engine wrote unexpected audio ({audio.getparams()})")
        return audio.readframes(audio.getnframes())


_last: tuple[tuple[str, int], Recording] | None = None  # MP3 and WAV of one render share one synthesis


def record(document: Document, profile: Profile) -> Recording:
    """Synthesise the Document's speech script; chapters are measured from the audio itself."""
    global _last
    spoken = script(document, rate_for(document, profile))
    key = (spoken.text(), spoken.rate_wpm)
    if _last is not None and _last[0] == key:
        return _last[1]
    _last = None
    recording = _synthesise(spoken)
    _last = (key, recording)
    return recording


def forget() -> None:
    """Let go of the last recording (kept so that MP3 and WAV of one render share it)."""
    global _last
    _last = None


def _synthesise(spoken: Script) -> Recording:
    speaker = engine()
    pause = b"\0\0" * int(SAMPLE_RATE * PAUSE_BETWEEN_SECTIONS)
    with tempfile.TemporaryDirectory(prefix="easyread-audio-") as folder:
        root = Path(folder)
        sections = []
        for index, part in enumerate(spoken.sections):
            chunks = _chunks(part.text)
            sub = root / f"s{index:03d}"
            sub.mkdir()
            files = speaker.synthesise(chunks, spoken.rate_wpm, sub, timeout=_timeout(part.words))
            sections.append(b"".join(_read_pcm(f) for f in files))
        body_seconds = sum(len(s) for s in sections) / 2 / SAMPLE_RATE + PAUSE_BETWEEN_SECTIONS * len(sections)
        intro = spoken.introduction()
        estimate = body_seconds + intro.words / spoken.rate_wpm * 60
        spoken.seconds = estimate  # now the introduction says how long it really lasts
        intro = spoken.introduction()
        intro_dir = root / "intro"
        intro_dir.mkdir()
        intro_pcm = b"".join(_read_pcm(f) for f in speaker.synthesise(
            _chunks(intro.text), spoken.rate_wpm, intro_dir, timeout=_timeout(intro.words)))
    pcm, chapters, position = bytearray(), [], 0
    titles = [intro.title, *(p.title for p in spoken.sections)]
    sections.insert(0, intro_pcm)
    for index, title in enumerate(titles):
        samples = len(sections[index]) // 2 + len(pause) // 2
        chapters.append(Chapter(title, round(position * 1000 / SAMPLE_RATE), round((position + samples) * 1000 / SAMPLE_RATE)))
        pcm += sections[index]
        pcm += pause
        sections[index] = b""  # keep one copy of the audio in memory, not two
        position += samples
    return Recording(pcm, chapters, spoken)  # not bytes(pcm): a copy of minutes of audio


def _timeout(words: int) -> float:
    return 30 + words / 20  # espeak-ng says well over 2,000 words a minute; this only catches a stuck engine


def write_wav(recording: Recording, path: Path) -> None:
    """The recording as a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(recording.pcm)


def write_mp3(recording: Recording, document: Document, path: Path) -> None:
    """The recording as MP3 (mono, 22.05 kHz, 48 kbps) with ID3v2.4 title, artist and chapters."""
    import lameenc
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TLAN, TPE1, CTOCFlags

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(5)
    with path.open("wb") as out:  # in slices: encoding the whole recording at once needs 3 times its size
        view = memoryview(recording.pcm)
        for start in range(0, len(view), ENCODE_BYTES):
            out.write(encoder.encode(bytes(view[start:start + ENCODE_BYTES])))
        out.write(encoder.flush())
    tags = ID3()
    tags.add(TIT2(encoding=3, text=document.title))
    tags.add(TPE1(encoding=3, text=document.author or "easyread"))
    tags.add(TLAN(encoding=3, text="eng"))
    ids = [f"chp{index}" for index in range(len(recording.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text="Contents")]))
    for element_id, chapter in zip(ids, recording.chapters):
        tags.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                      sub_frames=[TIT2(encoding=3, text=chapter.title)]))
    tags.save(str(path), v2_version=4)
