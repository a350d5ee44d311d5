"""Many documents at once: folders, globs and CSV/JSON-lines letter data, in parallel worker processes.

Each input is rendered on its own (atomically, as ever), so one refused or broken input
never stops the others; Ctrl-C stops cleanly, keeping the finished files and leaving no
half-written ones.
"""

from __future__ import annotations

import csv
import glob
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from easyread.errors import EasyReadError, InputError, Problem, TooDenseError

DATA_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".csv", ".jsonl")


@dataclass
class Job:
    """One document to render: a file, or one row of letter data merged over a base."""

    name: str
    source: str | dict[str, Any]
    stem: str | None = None


@dataclass
class Outcome:
    """What happened to one job."""

    name: str
    status: str  # rendered, refused or failed
    paths: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    worker_peak_mb: float = 0.0  # the peak memory of the process that rendered it, so far


@dataclass
class Batch:
    """Every outcome, and how long it all took."""

    outcomes: list[Outcome]
    seconds: float
    stopped: bool = False

    def count(self, status: str) -> int:
        """How many jobs ended with this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        """2 if any failed, 1 if any was refused, else 0."""
        return 2 if self.count("failed") else 1 if self.count("refused") else 0

    def summary(self) -> str:
        """One line for a person."""
        return (f"{self.count('rendered')} rendered, {self.count('refused')} refused, {self.count('failed')} failed "
                f"in {self.seconds:.1f} s" + (" (stopped early)" if self.stopped else ""))

    def to_json(self) -> str:
        """Every outcome, for machines."""
        return json.dumps({"rendered": self.count("rendered"), "refused": self.count("refused"),
                           "failed": self.count("failed"), "seconds": round(self.seconds, 3), "stopped": self.stopped,
                           "documents": [asdict(o) for o in self.outcomes]}, indent=2, ensure_ascii=False) + "\n"


def jobs_from(inputs: Iterable[str], base: str | Path | None = None) -> list[Job]:
    """Expand folders, glob patterns and CSV/JSON-lines files into jobs, in a stable order."""
    found: list[Job] = []
    for item in inputs:
        path = Path(item)
        if any(ch in item for ch in "*?[") and not path.exists():
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError([Problem("no files match this pattern", file=item)])
            found += [Job(m, m) for m in matches]
        elif path.is_dir():
            found += [Job(str(p), str(p)) for p in sorted(path.iterdir()) if p.suffix.lower() in DATA_SUFFIXES]
        elif path.suffix.lower() in TABLE_SUFFIXES:
            found += list(_rows(path, base))
        else:
            found.append(Job(item, item))
    return found


def _rows(path: Path, base: str | Path | None) -> Iterator[Job]:
    """One job a row: the row's fields (dotted paths in CSV) merged over the base document."""
    from easyread.loader import parse, read_text

    common: dict[str, Any] = {}
    if base is not None:
        data, _ = parse(read_text(Path(base)), str(base), is_json=str(base).endswith(".json"))
        common = data if isinstance(data, dict) else {}
    text = read_text(path)
    if path.suffix.lower() == ".csv":
        rows = [{k: v for k, v in row.items() if v not in (None, "")} for row in csv.DictReader(text.splitlines())]
        rows = [_unflatten(row) for row in rows]
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise InputError([Problem(f"is not valid JSON: {err.msg}", file=str(path), line=number)]) from None
    width = len(str(len(rows)))
    for number, row in enumerate(rows, start=1):
        stem = f"{path.stem}-{number:0{width}d}"
        yield Job(f"{path}:{number}", _merge(common, row), stem)


def _unflatten(row: dict[str, str]) -> dict[str, Any]:
    """CSV columns named by field path (person.name, meeting.place.name) as nested data."""
    nested: dict[str, Any] = {}
    for key, value in row.items():
        target = nested
        *parents, last = key.strip().split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return nested


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def run_one(job: Job, options: dict[str, Any]) -> Outcome:
    """Render one job, turning every result into an Outcome (this runs in a worker process)."""
    from easyread.pipeline import render

    started = time.perf_counter()
    try:
        done = render(job.source, stem=job.stem, **options)
    except TooDenseError as err:
        return Outcome(job.name, "refused", seconds=time.perf_counter() - started, message=str(err),
                       findings=[asdict(f) for f in err.report.refusals])
    except EasyReadError as err:
        return Outcome(job.name, "failed", seconds=time.perf_counter() - started, message=str(err))
    except Exception as err:  # a bug in one document must not stop the batch; it is reported, not hidden
        return Outcome(job.name, "failed", seconds=time.perf_counter() - started,
                       message=f"{type(err).__name__}: {err}")
    status = "failed" if done.unavailable else "rendered"
    return Outcome(job.name, status, [str(p) for p in done.paths], time.perf_counter() - started,
                   "; ".join(done.unavailable), worker_peak_mb=_peak_mb())


def resident_mb(field: str = "VmHWM") -> float | None:
    """This process's peak (VmHWM, which a benchmark can reset) or current (VmRSS) resident MB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _peak_mb() -> float:
    """This process's peak resident memory: Linux's VmHWM, else ru_maxrss."""
    peak = resident_mb()
    if peak is not None:
        return peak
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _warm() -> None:
    """Each worker ignores Ctrl-C (the main process stops the batch) and loads the word tables once."""
    import signal

    from easyread.readability import lexicon

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # finish the document in hand; never leave half a file
    lexicon.warm_up()


def render_many(jobs: list[Job], options: dict[str, Any], workers: int | None = None,
                on_progress: Callable[[Outcome, int, int], None] | None = None) -> Batch:
    """Render every job, in `workers` processes (default: one for each core), reporting each as it ends.

    `options` are render()'s keyword arguments (formats, profile, template, outdir, symbols,
    house_style). Ctrl-C stops cleanly: finished files stay, nothing is half-written.
    """
    workers = max(1, workers or os.cpu_count() or 1)
    started = time.perf_counter()
    outcomes: list[Outcome] = []

    def finished(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_progress:
            on_progress(outcome, len(outcomes), len(jobs))

    if workers == 1 or len(jobs) == 1:
        try:
            for job in jobs:
                finished(run_one(job, options))
        except KeyboardInterrupt:
            return Batch(outcomes, time.perf_counter() - started, stopped=True)
        return Batch(outcomes, time.perf_counter() - started)
    # forkserver, not fork: a process that has already used threads (the speech engine's, say)
    # must not be forked as it is, or a worker can start with a lock held and hang
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_warm, mp_context=context)
    pending: set[Future[Outcome]] = set()
    queue = iter(jobs)
    try:
        for job in queue:  # keep a few jobs queued per worker, not all of them, so Ctrl-C stops soon
            pending.add(pool.submit(run_one, job, options))
            if len(pending) >= workers * 2:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished(future.result())
                following = next(queue, None)
                if following is not None:
                    pending.add(pool.submit(run_one, following, options))
    except KeyboardInterrupt:
        # documents not started are dropped; those in hand are finished and counted
        still_running = [future for future in pending if not future.cancel()]
        for future in still_running:
            finished(future.result())
        pool.shutdown(wait=True, cancel_futures=True)
        return Batch(outcomes, time.perf_counter() - started, stopped=True)
    pool.shutdown(wait=True)
    return Batch(outcomes, time.perf_counter() - started)
