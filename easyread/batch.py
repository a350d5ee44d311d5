"""Many documents at once: folders, globs and CSV/JSON-lines letter data, in parallel worker processes.

Each input is rendered on its own (atomically, as ever), so one refused or broken input
never stops the others; Ctrl-C stops cleanly, keeping the finished files and leaving no
half-written ones. Every output name is planned before anything is rendered, so two inputs
never write the same file and no input is written over; a worker that dies (killed by the
OOM killer, say) fails only the document it was rendering.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import glob
import io
import json
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from easyread.errors import EasyReadError, InputError, OutputError, Problem, UsageError
from easyread.inputs.names import DATA_SUFFIXES, data_stem

TABLE_SUFFIXES = (".csv", ".jsonl")
DIED = "the worker rendering it stopped unexpectedly (killed? perhaps it ran out of memory); the other documents went on"


@dataclass(frozen=True)
class RowPlace:
    """Where a row of letter data is: its file, number and line, and the field each of its columns holds."""

    file: str
    number: int
    line: int
    columns: tuple[str, ...]  # field paths, as the header names them (person.name), or a JSON line's keys

    def say(self, problem: Problem) -> Problem:
        """A problem in the row's letter, named by the row and the column it came from (or the base's field)."""
        field_path = problem.field or ""
        column = next((c for c in self.columns if field_path == c or field_path.startswith((c + ".", c + "["))), None)
        where = f"column {column!r}" if column else f"{field_path or 'the letter'} (from the base)"
        return Problem(f"row {self.number}, {where}: {problem.message}", file=self.file, line=self.line)


ROW_SETTINGS = ("formats", "profile")  # columns that say how to make a row's letter, not what it says
LIST_MARK = "[]"  # a header like `things_to_bring[]`: each cell a list, its items split by ";" (or a JSON list)


@dataclass
class Job:
    """One document to render: a file, or one row of letter data merged over a base."""

    name: str
    source: str | dict[str, Any]
    stem: str | None = None
    folder: str = ""  # the sub-folder of the output folder its files go in (set by plan_outputs)
    reads: tuple[str, ...] = ()  # the files it is made from (a plan; a table and its base): never written over
    problem: Problem | None = None  # a row that cannot be a document: it fails with this, unrendered
    settings: dict[str, Any] = field(default_factory=dict)  # a row's own `formats` and `profile`, over the batch's
    row: RowPlace | None = None  # where a row of letter data is, to name its cells in a problem

    def in_its_row(self, err: InputError) -> InputError:
        """The input's problems named by the row and its column: "<dict>: meeting.date" says nothing."""
        return err if self.row is None else InputError([self.row.say(problem) for problem in err.problems])


@dataclass
class Outcome:
    """What happened to one job."""

    name: str
    status: str  # rendered, refused or failed
    paths: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the render said besides (the house font not embedded ...)
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


def jobs_from(inputs: Iterable[str], base: str | Path | None = None, name_column: str | None = None) -> list[Job]:
    """Expand folders, glob patterns and CSV/JSON-lines files into jobs, in a stable order.

    A row's files are named after its table and number (`letters-007.pdf`), or after the value of its
    `name_column` (a field path like person.reference) when one is given.

    A folder gives its .yaml, .yml and .json files, but not hidden ones, folders or FIFOs, nor .json files
    easyread wrote (a batch report, whatever its name, or a document's .json); a glob skips those .json files
    too. A file named twice is rendered once. A CSV/JSON-lines row that cannot be a document becomes a job
    that fails with the reason.
    """

    def ours(path: Path) -> bool:  # our own report or output, which must never come back as an input
        return path.suffix.lower() == ".json" and _is_ours(path)

    found: list[Job] = []
    seen: set[str] = set()

    def add(path: Path, jobs: Iterable[Job]) -> None:
        identity = _identity(path)
        if identity not in seen:  # the same file through a folder and a glob, say: one document, not two
            seen.add(identity)
            found.extend(jobs)

    for item in inputs:
        path = Path(item)
        if any(ch in item for ch in "*?[") and not path.exists():
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError([Problem("no files match this pattern", file=item)])
            for match in matches:
                if not ours(Path(match)):
                    add(Path(match), [Job(match, match, reads=(match,))])
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if (child.suffix.lower() in DATA_SUFFIXES and not child.name.startswith(".") and child.is_file()
                        and not ours(child)):
                    add(child, [Job(str(child), str(child), reads=(str(child),))])
        elif path.suffix.lower() in TABLE_SUFFIXES:
            add(path, _rows(path, base, name_column))
        else:
            add(path, [Job(item, item, reads=(item,))])
    return found


# how easyread's own .json files begin: a batch report (Batch.to_json) and a document (the json writer)
_OURS = re.compile(r'\{\s*"rendered":\s*\d+,\s*"refused":'
                   r'|\{\s*"kind":\s*"[a-z-]+",\s*"title":\s*"(?:[^"\\]|\\.)*",\s*"title_source":')


def _is_ours(path: Path) -> bool:
    """Whether a .json file is one easyread wrote (a batch report or a document), by its first bytes."""
    try:
        if not path.is_file():  # a FIFO would never answer: not ours, and not a plan either
            return False
        with open(path, "rb") as stream:
            head = stream.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return _OURS.match(head) is not None


def _identity(path: Path) -> str:
    """Where a file really is (links followed), for telling whether two names are one file."""
    try:
        return str(path.resolve())
    except OSError:  # a loop of links, say: its absolute name will do
        return os.path.abspath(path)


def _rows(path: Path, base: str | Path | None, name_column: str | None = None) -> list[Job]:
    """One job a row: the row's fields (dotted paths in CSV) merged over the base document.

    A file with no rows, a base that is not a mapping, or a CSV header that cannot name fields is an
    InputError; a row that cannot be a letter (cells missing or extra, not a JSON object ...) is a job
    that fails alone, naming the file and the row.
    """
    from easyread.inputs.loader import parse, read_text

    common: dict[str, Any] = {}
    reads: tuple[str, ...] = (str(path),)
    if base is not None:
        data, _ = parse(read_text(Path(base)), str(base), is_json=str(base).lower().endswith(".json"))
        if not isinstance(data, dict):
            raise InputError([Problem("the base must be a mapping of fields (like `kind: letter`), which every row "
                                      "is merged over", file=str(base))])
        common = data
        reads += (str(base),)
    text = read_text(path)
    rows = _csv_rows(text, str(path)) if path.suffix.lower() == ".csv" else _json_rows(text, str(path))
    if not rows:
        raise InputError([Problem("has no rows of letter data; add a row for each letter", file=str(path))])
    if name_column is not None and not any(name_column in place.columns for _, _, place in rows) \
            and _field(common, name_column) is None:
        raise UsageError(f"--name-column {name_column}: {path} has no column {name_column!r} (and the base no such "
                         "field); name a column of the header, like person.reference")
    width = len(str(len(rows)))
    jobs = []
    for number, (row, problem, place) in enumerate(rows, start=1):
        settings, problem = _row_settings(row, place, problem)
        source = _merge(common, row) if problem is None else {}
        stem = f"{path.stem}-{number:0{width}d}"
        if name_column is not None and problem is None:
            stem, problem = _named_stem(_field(source, name_column), name_column, place)
        jobs.append(Job(f"{path}:{number}", source, stem, reads=reads, problem=problem, settings=settings, row=place))
    return jobs


Row = tuple[dict[str, Any], Problem | None, RowPlace]  # a row's fields, or why it cannot be a letter; and where


def _field(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted field path (person.reference), or None."""
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _named_stem(value: Any, column: str, place: RowPlace) -> tuple[str, Problem | None]:
    """A row's file name from its --name-column value: letters, digits, '.', '-' and '_' only, never a path."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}", text) and ".." not in text:
        return text, None
    why = "is empty" if not text else f"is {text[:40]!r}, which is not a plain file name (letters, digits, . - _)"
    return "", Problem(f"row {place.number}: its --name-column {column!r} {why}; its files are named after it",
                       file=place.file, line=place.line)


def _row_settings(row: dict[str, Any], place: RowPlace, problem: Problem | None
                  ) -> tuple[dict[str, Any], Problem | None]:
    """A row's own `formats` and `profile` cells (taken out of its letter), or the problem with them."""
    from easyread.writers import FORMATS, split_formats

    settings = {key: row.pop(key) for key in ROW_SETTINGS if key in row}
    if problem is not None or not settings:
        return settings, problem
    said = f"row {place.number}, column"
    if "formats" in settings:
        value = settings["formats"]
        try:
            wanted = split_formats(value) if isinstance(value, str) else list(value)
        except (UsageError, TypeError) as err:
            return settings, Problem(f"{said} 'formats': {err}", file=place.file, line=place.line)
        unknown = [fmt for fmt in wanted or [] if fmt not in FORMATS]
        if unknown:
            return settings, Problem(f"{said} 'formats': no format {unknown[0]!r}; the formats are "
                                     f"{', '.join(FORMATS)} (separated by commas)", file=place.file, line=place.line)
        settings["formats"] = wanted
    if settings.get("profile") not in (None, "easy-read", "large-print"):
        problem = Problem(f"{said} 'profile': {settings['profile']!r} is not a profile; give easy-read or "
                          "large-print", file=place.file, line=place.line)
    return settings, problem


def _json_rows(text: str, name: str) -> list[Row]:
    """JSON lines: one object of fields a line; blank lines are skipped."""
    from easyread.inputs.loader import parse_json

    rows: list[Row] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = len(rows) + 1
        place = RowPlace(name, row, line_number, ())
        try:  # read as plan files are: nesting, numbers and repeated keys are checked
            value = parse_json(line, name)
        except InputError as err:
            problem = err.problems[0]
            joined = " " if problem.message.startswith("is ") else ": "  # "row 3 is not valid JSON: ..."
            rows.append(({}, Problem(f"row {row}{joined}{problem.message}", file=name, field=problem.field,
                                     line=line_number, column=problem.column), place))
            continue
        if not isinstance(value, dict):
            what = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")
            rows.append(({}, Problem(f'row {row} is {what}, not an object of fields like {{"person": {{"name": '
                                     f'"Ada"}}}}', file=name, line=line_number), place))
            continue
        rows.append((value, None, RowPlace(name, row, line_number, tuple(value))))
    return rows


def _csv_rows(text: str, name: str) -> list[Row]:
    """CSV: a header of field paths (person.name, meeting.date), then a row for each letter.

    An empty cell takes the base's value; a missing or extra cell is an error, never a guess. A column
    whose name ends `[]` (things_to_bring[]) holds a list in each cell: items separated by ";", or a
    JSON list (["Your glasses", "A drink; and a snack"]) when an item holds a ";" itself.
    """
    reader = csv.reader(io.StringIO(text, newline=""))  # a quoted cell may hold a line break
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise InputError([Problem("is empty; give a header row of field paths (like person.name,meeting.date) and "
                                  "a row for each letter", file=name)])
    columns = [cell.strip() for cell in header]
    lists = {i for i, column in enumerate(columns) if column.endswith(LIST_MARK)}
    columns = [column.removesuffix(LIST_MARK) if i in lists else column for i, column in enumerate(columns)]
    problems = []
    for column in dict.fromkeys(c for c in columns if c and columns.count(c) > 1):
        problems.append(Problem(f"the column {column!r} is named twice in the header; name each field once",
                                file=name, line=1))
    for column in columns:
        if column and not all(part.strip() for part in column.split(".")):
            problems.append(Problem(f"the column {column!r} is not a field path like person.name", file=name, line=1))
    if problems:
        raise InputError(problems)
    rows: list[Row] = []
    for cells in reader:
        if not cells:  # a blank line, as csv.DictReader skips them
            continue
        number, line = len(rows) + 1, reader.line_num
        place = RowPlace(name, number, line, tuple(c for c in columns if c))
        if len(cells) != len(columns):
            if len(cells) < len(columns):
                missing = ", ".join(c or f"column {i + 1}" for i, c in enumerate(columns) if i >= len(cells))
                why = f", so these are missing: {missing}; give every cell (an empty one takes the base's value)"
            else:
                why = " (a value with a comma needs \"quotes\" around it)"
            rows.append(({}, Problem(f"row {number} has {len(cells)} cells but the header names {len(columns)} "
                                     f"columns{why}", file=name, line=line), place))
            continue
        values: dict[int, Any] = {i: cell for i, cell in enumerate(cells) if cell != ""}
        unnamed = [i for i in values if not columns[i]]
        if unnamed:
            rows.append(({}, Problem(f"row {number} has a value in column {unnamed[0] + 1}, which has no name in the "
                                     "header", file=name, line=line), place))
            continue
        bad_list = None
        for i in lists & set(values):
            values[i], bad_list = _list_cell(values[i], columns[i])
            if bad_list:
                break
        if bad_list:
            rows.append(({}, Problem(f"row {number}, column {columns[i] + LIST_MARK!r}: {bad_list}", file=name,
                                     line=line), place))
            continue
        nested, clash = _unflatten({columns[i]: value for i, value in values.items()})
        rows.append((nested, Problem(f"row {number}: {clash}", file=name, line=line) if clash else None, place))
    return rows


def _list_cell(cell: str, column: str) -> tuple[list[str], str | None]:
    """A list column's cell as its items: a JSON list of strings, or items separated by ";"."""
    if cell.lstrip().startswith("["):
        try:
            items = json.loads(cell)
        except json.JSONDecodeError as err:
            return [], f"starts with [ but is not a JSON list ({err.msg}); write it like [\"one\", \"two\"]"
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return [], "is a JSON value but not a list of words; write it like [\"one\", \"two\"]"
        return [item.strip() for item in items if item.strip()], None
    return [item.strip() for item in cell.split(";") if item.strip()], None


def _unflatten(row: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """CSV columns named by field path (person.name, meeting.place.name) as nested data, or why they cannot be.

    A column that is a value (person) and one inside it (person.name) cannot both have a value.
    """
    nested: dict[str, Any] = {}
    for key, value in sorted(row.items(), key=lambda item: item[0].count(".")):  # parents before their fields
        target = nested
        *parents, last = key.split(".")
        for depth, part in enumerate(parents):
            inner = target.setdefault(part, {})
            if not isinstance(inner, dict):
                parent = ".".join(parents[: depth + 1])
                return {}, (f"the columns {parent!r} and {key!r} both have a value, but {key} is a field inside "
                            f"{parent}; give one or the other")
            target = inner
        target[last] = value
    return nested, None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def plan_outputs(jobs: list[Job], options: dict[str, Any], reserved: Iterable[str | Path] = ()) -> list[Job]:
    """Each job with the output names it will write, before anything is rendered; OutputError if that is not safe.

    Files are named after their input (or row). If two inputs would make the same file name, every output
    keeps the input's folder relative to the common parent folder of all the inputs (`cases/a/plan.yaml` ->
    `OUTDIR/a/plan.*`). Names that differ only in capitals count as the same. If names still clash (`a.yaml`
    and `a.json` in one folder), or an output or a file in `reserved` (the report) would replace an input of
    the batch, nothing is rendered: the error lists each one.
    """
    from easyread.writers import FORMATS

    outdir = Path(options.get("outdir") or ".")
    formats = options.get("formats") or list(FORMATS)  # from each person's needs: any format could be made
    if isinstance(formats, str):
        raise UsageError(f"formats must be a list of format names, like [{formats!r}], not a string")
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise UsageError(f"no writer for {unknown[0]!r}; formats are {', '.join(FORMATS)}")
    extensions = [[FORMATS[fmt].extension for fmt in job.settings.get("formats") or formats] for job in jobs]
    stems = [_stem_of(job) for job in jobs]
    reads = [job.reads or _reads_of(job) for job in jobs]
    folders = [""] * len(jobs)
    if _clashes(jobs, outdir, folders, stems, extensions):
        homes = [Path(os.path.abspath(r[0])).parent if r else None for r in reads]
        known = [str(home) for home in homes if home is not None]
        common = os.path.commonpath(known) if known else ""
        folders = ["" if home is None else _relative(home, common) for home in homes]
    problems = _clashes(jobs, outdir, folders, stems, extensions)
    inputs: dict[str, str] = {}
    for name in dict.fromkeys(name for files in reads for name in files):  # a table's rows share their files
        for key in _keys(Path(name)):
            inputs.setdefault(key, name)
    for option in ("profile", "template", "house_style"):  # a council's files must survive a batch into their folder
        value = options.get(option)
        if isinstance(value, (str, Path)) and Path(value).is_file():
            for key in _keys(Path(value)):
                inputs.setdefault(key, str(value))
    resolved: dict[str, Path] = {}
    for job, folder, stem, made in zip(jobs, folders, stems, extensions):
        where = resolved.setdefault(folder, _real_folder(outdir / folder))
        for extension in made:
            source = inputs.get(str(where / (stem + extension)).casefold())
            if source is not None:
                problems.append(f"writing {outdir / folder / (stem + extension)} for {job.name} would replace "
                                f"{source}, an input of this batch")
    outputs = {str(resolved[folder] / (stem + ext)).casefold() for folder, stem, made in zip(folders, stems, extensions)
               for ext in made}
    for path in map(Path, reserved):
        if any(key in inputs for key in _keys(path)):
            problems.append(f"the report {path} would replace {inputs[next(k for k in _keys(path) if k in inputs)]}, "
                            "an input of this batch")
        elif str(_real_folder(path.parent) / path.name).casefold() in outputs:
            problems.append(f"the report {path} has the name of a document's output")
    if problems:
        raise OutputError("nothing was rendered: a file would be written twice, or over an input of the batch:\n"
                          + "\n".join(f"  {p}" for p in problems)
                          + "\n  rename those inputs, or choose another folder with -o")
    planned = []
    for job, stem, folder in zip(jobs, stems, folders):
        job = copy.copy(job)  # not dataclasses.replace: a Job subclass keeps its own attributes
        job.stem, job.folder = stem, folder
        planned.append(job)
    return planned


def _stem_of(job: Job) -> str:
    """The name a job's files are given: its own stem, else its input file's name without the data suffix."""
    if job.stem:
        return job.stem
    from easyread.inputs.loader import input_file

    file = input_file(job.source)
    return data_stem(file) if file else "document"


def _reads_of(job: Job) -> tuple[str, ...]:
    """The file a job made by hand reads, if its source is a file's name."""
    from easyread.inputs.loader import input_file

    return (job.source,) if isinstance(job.source, str) and input_file(job.source) else ()


def _clashes(jobs: list[Job], outdir: Path, folders: list[str], stems: list[str],
             extensions: list[list[str]]) -> list[str]:
    """Each set of jobs that would write the same output file: one line naming them and the file."""
    writers: dict[str, list[int]] = {}
    shown: dict[str, Path] = {}
    for index, (folder, stem, made) in enumerate(zip(folders, stems, extensions)):
        for extension in made:
            path = outdir / folder / (stem + extension)
            writers.setdefault(str(path).casefold(), []).append(index)
            shown.setdefault(str(path).casefold(), path)
    found: dict[tuple[int, ...], str] = {}
    for key, indices in writers.items():
        group = tuple(dict.fromkeys(indices))
        if len(group) > 1 and group not in found:  # one line for each set of inputs, not one for each format
            names = [jobs[i].name for i in group]
            found[group] = (f"{', '.join(names[:-1])} and {names[-1]} would {'both' if len(names) == 2 else 'all'} "
                            f"write {shown[key]}")
    return list(found.values())


def _relative(home: Path, common: str) -> str:
    folder = os.path.relpath(home, common)
    return "" if folder == "." else folder


def _real_folder(folder: Path) -> Path:
    """A folder as it really is (links followed), whether or not it exists yet."""
    try:
        return Path(os.path.realpath(folder))
    except OSError:
        return Path(os.path.abspath(folder))


def _keys(path: Path) -> list[str]:
    """The names under which writing a file would replace `path`: where it is named, and where it really is."""
    return list(dict.fromkeys([str(_real_folder(path.parent) / path.name).casefold(), _identity(path).casefold()]))


def _output_folder(job: Job, options: dict[str, Any]) -> dict[str, Any]:
    """render()'s options for one job: its files go in its own sub-folder of the output folder, if it has one."""
    if not job.folder:
        return options
    return {**options, "outdir": Path(options.get("outdir") or ".") / job.folder}


def run_one(job: Job, options: dict[str, Any]) -> Outcome:
    """Render one job, turning every result into an Outcome (this runs in a worker process)."""
    if job.problem is not None:  # a row that cannot be a letter: fails alone, never rendered from half its data
        return Outcome(job.name, "failed", message=str(job.problem))
    from easyread.pipeline import render
    from easyread.readability.report import TooDenseError

    started = time.perf_counter()
    try:
        done = render(job.source, stem=job.stem, **_output_folder(job, {**options, **job.settings}))
    except InputError as err:
        return Outcome(job.name, "failed", seconds=time.perf_counter() - started, message=str(job.in_its_row(err)))
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
                   "; ".join(done.unavailable), notes=list(done.notes), worker_peak_mb=_peak_mb())


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


_STARTS: Any = None  # in a worker: where it says which job it is starting (a SimpleQueue), so a death is pinned on it


def _warm(starts: Any = None) -> None:
    """Each worker ignores Ctrl-C (the main process stops the batch) and loads the word tables once."""
    import signal

    from easyread.language import lexicon

    global _STARTS
    _STARTS = starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # finish the document in hand; never leave half a file
    lexicon.warm_up()


def _work(index: int, job: Job, options: dict[str, Any]) -> Outcome:
    """In a worker: say which job this is before starting it, then render it."""
    if _STARTS is not None:
        _STARTS.put(index)  # SimpleQueue.put writes to the pipe at once: it is there even if we die next
    return run_one(job, options)


def _died(job: Job) -> Outcome:
    return Outcome(job.name, "failed", message=DIED)


Item = tuple[int, Job]  # a job and its place in the batch


def render_many(jobs: list[Job], options: dict[str, Any], workers: int | None = None,
                on_progress: Callable[[Outcome, int, int], None] | None = None, *,
                reserved: Iterable[str | Path] = (), scheduler: str | None = None) -> Batch:
    """Render every job, in `workers` processes (default: one for each core), or on the Dask cluster whose
    scheduler is at `scheduler` (tcp://host:8786), reporting each as it ends.

    `options` are render()'s keyword arguments (formats, profile, template, outdir, symbols,
    house_style). Output names are planned first (see plan_outputs; `reserved` are files the batch
    must not write, like its report): OutputError, with nothing rendered, if two jobs would write one
    file or a job would write over an input. A worker that dies fails the job it was rendering; the
    others go on in new workers. Ctrl-C stops cleanly: finished files stay, nothing is half-written.
    On a cluster, every worker must reach the inputs, their pictures and the output folder at the same
    paths (a shared file system), and have the same easyread: the batch checks the version first.
    """
    jobs = plan_outputs(jobs, options, reserved)
    workers = max(1, workers or os.cpu_count() or 1)
    if scheduler is not None:
        jobs, options = _as_seen_anywhere(jobs, options)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    stop = threading.Event()  # Ctrl-C: start nothing new, finish what is in hand

    def finished(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_progress:
            on_progress(outcome, len(outcomes), len(jobs))

    # The jobs are driven from a thread of their own, and Ctrl-C only sets `stop`: a KeyboardInterrupt
    # (which lands in the main thread, between any two steps) can then never fall between a job handed
    # to a worker and its being noted, leaving a document written but not counted.
    failure: list[BaseException] = []
    done = threading.Event()

    def drive() -> None:
        try:
            if scheduler is not None:
                _drive_dask(jobs, options, scheduler, finished, stop)
            elif workers == 1 or len(jobs) == 1:
                for job in jobs:
                    if stop.is_set():
                        return
                    finished(run_one(job, options))
            else:
                _drive_pools(jobs, options, workers, finished, stop)
        except BaseException as err:  # reported in the caller's thread
            failure.append(err)
        finally:
            done.set()

    threading.Thread(target=drive, name="easyread-batch", daemon=True).start()
    while True:  # an Event, not Thread.join(): a Ctrl-C inside join() can mark a live thread as ended
        try:
            while not done.wait(0.2):
                pass
            break
        except KeyboardInterrupt:
            stop.set()
    if failure:
        raise failure[0]
    return Batch(outcomes, time.perf_counter() - started, stopped=stop.is_set())


def _drive_dask(jobs: list[Job], options: dict[str, Any], address: str, finished: Callable[[Outcome], None],
                stop: threading.Event) -> None:
    """Render the jobs on a Dask cluster (distributed): each job a task, each outcome reported as it ends.

    Dask sends each task to a free worker, and a task whose worker dies to another (up to its
    `allowed-failures`), then reports it as failed: the other jobs go on either way.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("a batch on a Dask cluster needs its extra: pip install 'easyread[cluster]'") from None
    from easyread.version import __version__

    try:
        client = Client(address, timeout="30s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as err:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({err}); start it, or check the "
                         "address (like tcp://scheduler:8786)") from None
    with client:
        versions = set(client.run(_easyread_version).values())
        if versions != {__version__}:
            raise UsageError(f"the Dask workers have easyread {', '.join(sorted(versions)) or 'none'}, not "
                             f"{__version__}: install this version on every worker")
        tasks = {client.submit(run_one, job, options, key=f"easyread-{index}-{os.getpid()}-{time.time_ns()}",
                               pure=False): job for index, job in enumerate(jobs)}
        for task in as_completed(tasks):  # type: ignore[no-untyped-call]
            if stop.is_set():  # Ctrl-C: cancel what has not started, keep what has finished
                client.cancel([waiting for waiting in tasks if not waiting.done()])  # type: ignore[no-untyped-call]
                return
            job = tasks[task]
            if task.status == "finished":
                finished(task.result())
            else:  # a worker died under it (KilledWorker), or the task could not be sent
                error = task.exception()
                killed = type(error).__name__ == "KilledWorker"
                finished(_died(job) if killed else Outcome(job.name, "failed", message=f"{type(error).__name__}: "
                                                                                       f"{error}"))


def _as_seen_anywhere(jobs: list[Job], options: dict[str, Any]) -> tuple[list[Job], dict[str, Any]]:
    """The jobs and options with every path made absolute: a worker elsewhere has another working folder."""
    def whole(path: Any) -> Any:
        return str(Path(path).resolve()) if isinstance(path, (str, Path)) and Path(path).exists() else path

    options = {**options, "outdir": str(Path(options.get("outdir") or ".").resolve()),
               **{key: whole(options.get(key)) for key in ("symbols", "house_style", "template") if options.get(key)},
               "picture_folders": [whole(folder) for folder in options.get("picture_folders") or []]}
    return [dataclasses.replace(job, source=whole(job.source)) if isinstance(job.source, str) else job
            for job in jobs], options


def _easyread_version() -> str:
    """On a Dask worker: the easyread it has."""
    from easyread.version import __version__

    return __version__


def _drive_pools(jobs: list[Job], options: dict[str, Any], workers: int, finished: Callable[[Outcome], None],
                 stop: threading.Event) -> None:
    """Render the jobs in pools of worker processes; a pool whose worker dies is replaced."""
    # forkserver, not fork: a process that has already used threads (the speech engine's, say)
    # must not be forked as it is, or a worker can start with a lock held and hang
    context = multiprocessing.get_context("forkserver")
    todo: deque[Item] = deque(enumerate(jobs))
    fruitless = 0  # pools in a row that broke before finishing or starting anything
    while todo and not stop.is_set():
        suspects, progress = _pool_round(todo, options, workers, context, finished, stop)
        if not suspects:
            fruitless = 0 if progress else fruitless + 1
            if fruitless >= 2:  # workers that cannot even start: say so for each job, never loop
                while todo:
                    finished(Outcome(todo.popleft()[1].name, "failed",
                                     message="the worker processes stopped before rendering anything"))
            continue
        fruitless = 0
        if len(suspects) == 1:  # the only job running when the worker died
            finished(_died(suspects[0][1]))
            continue
        for item in suspects:  # several were running: try each alone, so only the one that kills a worker fails
            alone: deque[Item] = deque([item])
            if _pool_round(alone, options, 1, context, finished, stop)[0] or alone:
                finished(_died(item[1]))


def _pool_round(todo: deque[Item], options: dict[str, Any], workers: int, context: BaseContext,
                finished: Callable[[Outcome], None], stop: threading.Event) -> tuple[list[Item], int]:
    """Render jobs from `todo` in one pool until it is empty, a worker dies, or `stop` is set.

    Returns the jobs that had started and were lost when a worker died (one of them killed it), and how
    many finished; jobs lost before they started go back on `todo`, for the next pool. On `stop`, jobs
    not yet started are dropped and those in hand are finished and counted.
    """
    starts = context.SimpleQueue()
    begun: set[int] = set()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_warm, initargs=(starts,),
                               mp_context=context)
    pending: dict[Future[Outcome], Item] = {}
    lost: list[Item] = []
    count = 0

    def settle(future: Future[Outcome], item: Item) -> None:
        nonlocal count
        try:
            outcome = future.result()
        except BrokenProcessPool:
            lost.append(item)
            return
        except Exception as err:  # the job could not be sent to a worker (not picklable, say): it fails alone
            outcome = Outcome(item[1].name, "failed", message=f"{type(err).__name__}: {err}")
        count += 1
        finished(outcome)

    try:
        while (todo or pending) and not lost and not stop.is_set():
            while todo and len(pending) < workers * 2:  # a few queued per worker, not all, so Ctrl-C stops soon
                try:
                    pending[pool.submit(_work, todo[0][0], todo[0][1], options)] = todo[0]
                except BrokenProcessPool:
                    break
                todo.popleft()
            if not pending:  # the pool broke before taking a job
                break
            ready, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)  # looking at `stop` now and then
            for future in ready:
                settle(future, pending.pop(future))
        if stop.is_set():  # Ctrl-C: drop what has not started, finish and count what has
            for future in list(pending):
                if future.cancel():
                    del pending[future]
            todo.clear()
        if lost or todo or pending:  # a worker died (a broken pool ends each of its futures at once), or stop
            wait(pending)
            for future, item in pending.items():
                settle(future, item)
            pending.clear()
            if stop.is_set():
                for item in lost:
                    finished(_died(item[1]))
                return [], count
            while not starts.empty():
                begun.add(starts.get())
            suspects = sorted((item for item in lost if item[0] in begun), key=lambda item: item[0])
            todo.extendleft(sorted((item for item in lost if item[0] not in begun), key=lambda item: -item[0]))
            return suspects, count
        return [], count
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        starts.close()
