"""The `easyread` command. Exit codes: 0 done, 1 refused by the readability gate, 2 bad input or usage."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from easyread.batch import Job, Outcome
    from easyread.readability import Report
    from easyread.symbols import SymbolSet

# exit codes: the command's contract with scripts, kept here rather than in the exceptions
DONE, REFUSED, FAILED, BUG, STOPPED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong, and where the help is."""

    def __init__(self, *args: Any, missing: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing = missing  # a friendlier line for a missing required argument, with an example

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2 (argparse's default prints the whole usage first)."""
        if self.missing and message.startswith("the following arguments are required"):
            message = self.missing
        self.exit(FAILED, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _option(parser: argparse.ArgumentParser, *flags: str, hidden: bool = False, **kwargs: Any) -> None:
    """Add an option to a sub-subcommand, or (hidden) to its parent for the older `symbols --json list` order.

    The sub-subcommand's copy has no default, so it never overwrites a value given before the action;
    the hidden parent copy carries the default.
    """
    if hidden:
        parser.add_argument(*flags, **{**kwargs, "help": argparse.SUPPRESS})
    else:
        parser.add_argument(*flags, **{**kwargs, "default": argparse.SUPPRESS})


def _parser() -> argparse.ArgumentParser:
    """The whole command line: render, check, schema, templates (list | lint) and symbols (list | find | sheet)."""
    from easyread.inputs.kinds import kind_names  # no installed kind's code is imported for the help

    kinds = kind_names()
    parser = _Parser(
        prog="easyread",
        description="Turn a care and support plan, review, letter, one-page profile or hospital passport into easy "
                    "read, large print and more.",
        epilog="Exit codes: 0 done, 1 refused because the text is too hard to read, 2 bad input, usage or a missing "
               "engine, 3 a bug in easyread, 130 stopped with Ctrl-C.",
        missing="say what to do: render, check, schema, templates or symbols, like: easyread render plan.yaml",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--debug", action="store_true", help="on a bug in easyread, show the whole traceback")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    render = commands.add_parser("render", help="make the documents a person needs",
                                 description="Write one file per format for each input, named after the input.")
    render.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a plan, review, letter, profile or passport (.yaml or .json), a folder or glob of "
                             "them, a .csv or .jsonl of letter data (with --base), or - for one plan's YAML or JSON on "
                             "standard input")
    render.add_argument("--name", metavar="STEM",
                        help="with one input: the name of the files, without extension (default: the input's name, "
                             "or document for -)")
    render.add_argument("--template", metavar="NAME|PATH", help="a shipped template name or a template file")
    render.add_argument("--profile", metavar="NAME|PATH",
                        help="easy-read, large-print or a profile file (default: from the person's needs)")
    render.add_argument("--to", metavar="FMT[,FMT...]",
                        help="formats, e.g. docx,pdf,mp3, or all (every format but wav; all,wav for it too; "
                             "default: from the person's recorded needs)")
    render.add_argument("-o", "--output", metavar="OUTDIR", default=".", help="folder to write to (default: here)")
    render.add_argument("--symbols", metavar="DIR", help="a folder of your own symbols that extends or overrides ours")
    render.add_argument("-j", "--jobs", type=int, metavar="N",
                        help="with many inputs: worker processes (default: one for each core)")
    render.add_argument("--scheduler", metavar="ADDRESS",
                        help="with many inputs: render on the Dask cluster whose scheduler is at ADDRESS (like "
                             "tcp://scheduler:8786); the inputs and OUTDIR must be at the same paths on every worker "
                             "(see docs/batch.md)")
    render.add_argument("--base", metavar="FILE",
                        help="with a .csv or .jsonl of letter data: the common parts each row is merged over")
    render.add_argument("--name-column", metavar="FIELD",
                        help="with a .csv or .jsonl of letter data: name each row's files after this field (like "
                             "person.reference), not the table and the row's number")
    render.add_argument("--report", metavar="FILE",
                        help="with many inputs: where to write the JSON report (default: OUTDIR/easyread-report.json; "
                             "a folder or glob never takes a report for an input)")
    render.add_argument("--house-style", metavar="FILE",
                        help="your organisation's name, logo, font and colours (a .yaml file; see docs/house-style.md)")
    render.add_argument("--picture-folder", metavar="DIR", action="append", default=[],
                        help="a folder photos may be in besides the plan's own (repeat for more)")
    render.add_argument("--voice", choices=("natural", "british", "espeak"),
                        help="the audio's voice: natural (American English), or british (espeak-ng: British English, "
                             "clear but robotic; espeak is the same); default: the person's recorded need, else natural")
    render.add_argument("--no-read-along", dest="read_along", action="store_false", default=None,
                        help="an EPUB of text and pictures only, without its recording (smaller and much faster)")

    check = commands.add_parser("check", help="check how easy a text is to read",
                                description="Check a plan, review, letter, or plain text (one paragraph or bullet per line).")
    check.add_argument("input", metavar="INPUT", help="a .yaml/.json plan, a .txt/.md file, - for standard input, "
                                                    "or a .csv/.jsonl of letter data with --base")
    check.add_argument("--base", metavar="FILE", help="the base letter each row of a .csv or .jsonl is merged over: "
                                                      "every row's letter is checked")
    check.add_argument("--profile", metavar="NAME|PATH", help="easy-read (default), large-print or a profile file")
    check.add_argument("--template", metavar="NAME|PATH", help="template to compose a plan with")
    check.add_argument("--json", action="store_true", help="print the report as JSON on standard output")
    check.add_argument("--all", action="store_true", help="list every warning and note, not only what refuses")
    check.add_argument("--symbols", metavar="DIR", help="a folder of your own symbols")

    schema = commands.add_parser("schema", help="print the JSON Schema of an input kind")
    schema.add_argument("kind", choices=[*kinds, "document"])

    templates = commands.add_parser(
        "templates", help="list the shipped templates, or lint one",
        description="`templates list` shows the shipped templates; `templates lint NAME|PATH` checks a template's "
                    "own wording with a sample input. See `easyread templates lint --help`.",
        missing="say what to do: list or lint, like: easyread templates lint mine.md.j2")
    # hidden copies for the older order `templates --json lint PATH`; the defaults live here
    _option(templates, "--profile", hidden=True, default="easy-read")
    _option(templates, "--sample", hidden=True)
    _option(templates, "--kind", hidden=True, choices=kinds)
    _option(templates, "--json", hidden=True, action="store_true")
    template_actions = templates.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = template_actions.add_parser("list", help="the shipped templates: name, kind and what each is for",
                                          description="List the shipped templates: name, kind and what each is for.")
    _option(listing, "--json", action="store_true", help="JSON on standard output")
    lint = template_actions.add_parser(
        "lint", help="check a template's own wording with a sample input",
        description="Render a template with a sample input and report only the sentences its own wording is "
                    "part of. The sample's kind comes from --kind, else the template's header, else the only "
                    "shipped sample the template renders with.",
        missing="give the template to check, like: easyread templates lint mine.md.j2")
    lint.add_argument("template", metavar="NAME|PATH", help="a shipped template name or a template file")
    _option(lint, "--profile", metavar="NAME|PATH", help="easy-read (default), large-print or a profile file")
    _option(lint, "--sample", metavar="INPUT",
            help="the input to render it with (default: the shipped samples of its kind)")
    _option(lint, "--kind", choices=kinds, help="the kind of input the template is for")
    _option(lint, "--json", action="store_true", help="the report as JSON on standard output")
    lint.add_argument("--all", action="store_true", help="list every warning and note, not only what refuses")

    symbols = commands.add_parser(
        "symbols", help="list, find or draw the symbols",
        description="`symbols list` names every symbol; `symbols find WORDS` shows which picture some words choose "
                    "and why; `symbols sheet -o FILE.png|.pdf` draws them all; `symbols review INPUT -o FILE.html|.pdf` "
                    "shows one document's pictures and why, to approve. Each takes --symbols DIR.",
        missing="say what to do: list, find, sheet or review, like: easyread symbols find Your doctor will ring you")
    # hidden copies for the older order `symbols --symbols DIR find WORDS`; the defaults live here
    _option(symbols, "--symbols", hidden=True)
    _option(symbols, "--json", hidden=True, action="store_true")
    _option(symbols, "-o", "--output", hidden=True)
    symbol_actions = symbols.add_subparsers(dest="action", metavar="ACTION", required=True)
    council: dict[str, Any] = {"metavar": "DIR", "help": "a folder of your own symbols that extends or overrides ours"}
    listing = symbol_actions.add_parser("list", help="every symbol: its name, picture and alt text",
                                        description="List every symbol: its name, picture and alt text.")
    _option(listing, "--symbols", **council)
    _option(listing, "--json", action="store_true", help="JSON on standard output")
    find = symbol_actions.add_parser(
        "find", help="which picture some words choose, and why",
        description="Show which picture the words of a statement choose, and why (or why none).",
        missing="give the words of a statement, like: easyread symbols find Your doctor will ring you")
    find.add_argument("words", nargs="+", metavar="WORDS", help="the words of a statement")
    _option(find, "--symbols", **council)
    _option(find, "--json", action="store_true", help="JSON on standard output")
    sheet = symbol_actions.add_parser(
        "sheet", help="draw every symbol on a contact sheet to review", usage="%(prog)s [-h] -o FILE [--symbols DIR]",
        description="Draw every symbol, with its name and alt text, on a contact sheet to review.")
    # -o is checked in cmd_symbols, not by argparse, so the older `symbols -o FILE sheet` still works
    _option(sheet, "-o", "--output", metavar="FILE", help="the .png or .pdf file to draw (needed)")
    _option(sheet, "--symbols", **council)
    review = symbol_actions.add_parser(
        "review", help="every line of a document beside its picture and why, to approve before it is sent",
        usage="%(prog)s [-h] INPUT -o FILE [--template T] [--profile P] [--symbols DIR]",
        description="Lay out every line of an input (a plan, a letter ...) beside its picture, the reason it was chosen and "
                    "how to change it (one line in the plan, or a file in your picture folder): a sheet to approve "
                    "before the document goes to the person. The file's suffix chooses .html, .pdf or .json.",
        missing="give the plan and a file to write, like: easyread symbols review plan.yaml -o pictures.html")
    review.add_argument("input", metavar="INPUT", help="a plan, review, letter, profile or passport (YAML or JSON)")
    _option(review, "-o", "--output", metavar="FILE", help="the .html, .pdf or .json sheet to write (needed)")
    review.add_argument("--template", help="a shipped template name or a template file")
    review.add_argument("--profile", default="easy-read", help="easy-read (the default), large-print, or a profile file")
    _option(review, "--symbols", **council)
    serve = commands.add_parser(
        "serve", help="serve easyread over HTTP for other systems (see docs/service.md)",
        description="Serve easyread over HTTP: POST /render, POST /check, GET /schema/KIND, /templates, /symbols, "
                    "/healthz, /version and /openapi.json. Templates, house style, symbols and photos come from the "
                    "options here, never from a request. If the environment variable named by --token-env is set, "
                    "every request but /healthz needs 'Authorization: Bearer <token>'. Logs are JSON lines on "
                    "stderr that never hold the person's text or name.")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this "
                                                            "machine only; 0.0.0.0 for every address)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--workers", type=int, default=2, help="render worker processes (default 2); audio renders "
                                                              "use at most all but one, so visual ones never wait "
                                                              "behind them")
    serve.add_argument("--templates", metavar="DIR", help="a folder of your own templates, named with ?template=")
    serve.add_argument("--house-style", metavar="FILE", help="your house style, for every render")
    serve.add_argument("--symbols", metavar="DIR", help="a folder of your own symbols")
    serve.add_argument("--picture-folder", metavar="DIR", action="append", default=[],
                       help="a folder of photos plans may name, relative to the first such folder (repeat for "
                            "more); with none, a plan that names a picture is refused")
    serve.add_argument("--max-bytes", type=int, default=2_000_000, help="the largest request body (default "
                                                                        "2000000); larger is refused with 413")
    serve.add_argument("--time-limit", type=float, default=120.0, metavar="SECONDS",
                       help="the longest one render may take (default 120); longer is stopped with 504")
    serve.add_argument("--max-waiting", type=int, default=32, metavar="N",
                       help="renders of one kind (documents, or audio) that may wait for a worker (default 32); more "
                            "are answered 503 at once, to try again")
    serve.add_argument("--queue-seconds", type=float, default=30.0, metavar="SECONDS",
                       help="the longest a request waits for a worker (default 30); a request that could not start "
                            "in time is answered 503 at once")
    serve.add_argument("--recycle-after", type=int, default=10_000, metavar="N",
                       help="renders before a worker is replaced by a fresh one (default 10000; 0 for never)")
    serve.add_argument("--worker-memory", type=int, default=3072, metavar="MB",
                       help="the memory one worker may use (default 3072 MB); a render that needs more fails alone")
    serve.add_argument("--max-connections", type=int, default=200, metavar="N",
                       help="requests in hand at once (default 200); more are answered 503")
    serve.add_argument("--header-timeout", type=float, default=10.0, metavar="SECONDS",
                       help="for a request's line and headers to arrive (default 10); slower connections are closed")
    serve.add_argument("--body-timeout", type=float, default=30.0, metavar="SECONDS",
                       help="for a request's body to arrive (default 30); slower is answered 408")
    serve.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="a host name the server answers to besides localhost (repeat for more; *.example.org "
                            "for its subdomains), as callers and your reverse proxy send it in Host")
    serve.add_argument("--allowed-origin", action="append", default=[], metavar="URL",
                       help="a web page's origin (https://case.example.org) allowed to call the server from a "
                            "browser; pages from anywhere else are refused (403)")
    serve.add_argument("--token-env", default="EASYREAD_TOKEN", metavar="NAME",
                       help="the environment variable holding the bearer token (default EASYREAD_TOKEN)")
    return parser


def _version() -> str:
    from easyread.version import __version__

    return __version__


def cmd_render(args: argparse.Namespace) -> int:
    """Render the inputs: one document here, many (or rows of letter data) through the batch."""
    if args.name is not None:
        _check_name(args.name)
    if "-" in args.inputs:  # one plan on standard input, as `check -` reads it
        if len(args.inputs) > 1:
            raise_usage("- (standard input) must be the only input")
        from easyread.inputs.loader import load_text

        plan = load_text(_stdin_text("send a plan, letter or other input in YAML or JSON"), "<stdin>")
        return _render_one(args, "<stdin>", plan, args.name or "document")
    from easyread.batch import jobs_from

    jobs = jobs_from(args.inputs, args.base, args.name_column)
    if not jobs:  # only folders with no data files in them: say so, rather than render nothing and exit 0
        raise_usage(f"no input (a .yaml, .yml or .json plan, letter ...) found in {', '.join(args.inputs)}")
    problems = [job.problem for job in jobs if job.problem is not None]
    if len(problems) == len(jobs):  # not one row can be a letter: an input error, not a batch of failures
        from easyread.errors import InputError

        raise InputError(problems)
    if len(jobs) > 1 or any(isinstance(job.source, dict) for job in jobs):
        if args.name is not None:
            raise_usage("--name names the files of one input; in a batch each is named after its input or row")
        return cmd_render_many(args, jobs, _report_path(args))
    # the expanded job, not the raw argument: a folder or glob holding one plan renders that plan
    (job,) = jobs
    return _render_one(args, job.name, job.source, args.name or job.stem)


def _render_one(args: argparse.Namespace, name: str, source: Any, stem: str | None) -> int:
    """Render one document: each file's path on stdout, refusals and notes on stderr."""
    from easyread.pipeline import render
    from easyread.readability.report import TooDenseError
    from easyread.writers import split_formats

    try:
        done = render(source, formats=split_formats(args.to), outdir=args.output, stem=stem,
                      profile=args.profile, template=args.template, symbols=args.symbols,
                      house_style=args.house_style, picture_folders=args.picture_folder, voice=_voice(args),
                      read_along=args.read_along)
    except TooDenseError as err:
        sys.stderr.write(err.report.to_text())
        _error(f"{name}: {err}")
        return REFUSED
    for fmt in done.skipped:
        _error(f"{name}: the person's needs ask for {fmt}, which this version cannot make yet; skipped", "note")
    for path in done.paths:
        print(path)
    if done.voice:
        _error(f"{name}: spoken by {done.voice}", "note")
    for note in done.notes:
        _error(f"{name}: {note}", "note")
    for reason in done.unavailable:
        _error(f"{name}: {reason}")
    return FAILED if done.unavailable else DONE


def _voice(args: argparse.Namespace) -> str | None:
    """--voice as render() takes it: espeak is the British voice."""
    return "british" if args.voice == "espeak" else args.voice


def _check_name(stem: str) -> None:
    """--name is a file name, never a path: the files stay in the output folder."""
    if not stem.strip() or stem in (".", "..") or stem.startswith(".") or any(c in stem for c in "/\\\0"):
        raise_usage(f"--name {stem!r} must be a plain file name without a folder, like --name ada-plan")


def _report_path(args: argparse.Namespace) -> Path:
    return Path(args.report) if args.report else Path(args.output) / "easyread-report.json"


def _stdin_text(what: str) -> str:
    """Standard input as text (UTF-8), up to the input size limit; InputError if it is not."""
    from easyread.errors import InputError, Problem
    from easyread.inputs.limits import MAX_INPUT_BYTES

    raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError([Problem(f"is more than {MAX_INPUT_BYTES:,} bytes; {what} of a usual size", file="<stdin>")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(f"is not UTF-8 text; {what}", file="<stdin>")]) from None


def cmd_render_many(args: argparse.Namespace, jobs: list[Job], report_path: Path) -> int:
    """Many documents: progress on stderr, each file's path on stdout, a summary and a JSON report."""
    from easyread.batch import plan_outputs, render_many
    from easyread.writers import split_formats

    if args.house_style is not None:  # its mistakes are its own, said once, not blamed on every row
        from easyread.inputs.house_style import load_house_style

        load_house_style(args.house_style)
    options = {"formats": split_formats(args.to), "profile": args.profile, "template": args.template,
               "outdir": args.output, "symbols": args.symbols, "house_style": args.house_style,
               "picture_folders": args.picture_folder, "voice": _voice(args), "read_along": args.read_along}
    jobs = plan_outputs(jobs, options, [report_path])  # clashes stop the batch here, before the progress bar
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm  # type: ignore[import-untyped]  # tqdm's hints are a separate package, types-tqdm

        bar = tqdm(total=len(jobs), unit="doc", file=sys.stderr, dynamic_ncols=True)

    def progress(outcome: Outcome, done: int, total: int) -> None:
        for path in outcome.paths:
            print(path, flush=True)
        if bar is not None:
            bar.set_postfix_str(f"{outcome.status}: {Path(outcome.name).name}")
            bar.update(1)
        else:
            sys.stderr.write(f"[{done}/{total}] {outcome.status} {outcome.name} ({outcome.seconds:.1f} s)\n")
        if outcome.status != "rendered":
            sys.stderr.write(f"  {_first_line(outcome.message) or outcome.status}\n")

    batch = render_many(jobs, options, args.jobs, progress, reserved=[report_path], scheduler=args.scheduler)
    if bar is not None:
        bar.close()
    written = _write_report(report_path, batch.to_json())
    # each note once, with how many documents it is about: the same note on 200 letters is one thing to fix
    notes = Counter(note for outcome in batch.outcomes for note in outcome.notes)
    for note, count in notes.items():
        _error(f"{note} ({count} of {len(batch.outcomes)} documents)" if len(batch.outcomes) > 1 else note, "note")
    where = f"report in {report_path}" if written else "no report was written"
    sys.stderr.write(f"easyread: {batch.summary()}; {where}\n")
    if batch.stopped:
        return STOPPED
    return batch.exit_code if written else FAILED  # a report asked for and not written is a failure too


def _first_line(message: str) -> str:
    """The line of a message that says what is wrong (the first problem, under "1 problem in the input:")."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


def _write_report(path: Path, text: str) -> bool:
    """Write the batch report atomically (never half a report); say why not, and return False, if it cannot be."""
    from easyread.errors import OutputError
    from easyread.pipeline import write_files

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_files({path.name: text.encode("utf-8")}, path.parent)
    except OSError as err:
        _error(f"could not write the report {path}: {err.strerror or err}")
        return False
    except OutputError as err:
        _error(f"could not write the report {path}: {err}")
        return False
    return True


def _check_rows(args: argparse.Namespace) -> int:
    """Check the letter of every row of letter data merged over its base: a line for each, the refused ones in full;
    1 if any is refused, 2 if any row cannot be a letter."""
    from easyread.batch import jobs_from
    from easyread.composer import compose
    from easyread.errors import InputError
    from easyread.readability import check

    worst = DONE
    for job in jobs_from([args.input], args.base, None):
        profile = job.settings.get("profile") or args.profile
        try:
            if job.problem is not None:
                raise InputError([job.problem])  # already named by its row
            document = compose(job.source, template=args.template, profile=profile, symbols=args.symbols)
        except InputError as err:
            said = err if job.problem is not None else job.in_its_row(err)
            sys.stderr.write(f"{job.name}: cannot be a letter: {_first_line(str(said))}\n")
            worst = FAILED
            continue
        report = check(document, profile=profile or document.profile)
        if report.refused:
            report.name = f"{job.name} ({report.name})"
            _report(report, False, all_warnings=args.all)
            worst = max(worst, REFUSED)
        else:
            sys.stderr.write(f"{job.name}: passed for {report.profile}\n")
    return worst


def cmd_check(args: argparse.Namespace) -> int:
    """Check how easy a plan, review, letter or plain text is to read."""
    from easyread.composer import compose
    from easyread.inputs.names import DATA_SUFFIXES
    from easyread.readability import check, check_text

    source = args.input
    if source.lower().endswith((".csv", ".jsonl")) and args.base:
        return _check_rows(args)
    if source == "-":
        text = _stdin_text("send plain text")
        report = check_text(text, profile=args.profile or "easy-read", name="<stdin>")
    elif source.lower().endswith((".csv", ".jsonl")):
        raise_usage(f"{source} is letter data: check every row's letter with `easyread check {source} --base BASE`")
    elif source.lower().endswith(DATA_SUFFIXES):
        document = compose(source, template=args.template, profile=args.profile, symbols=args.symbols)
        report = check(document, profile=args.profile or document.profile)
    else:
        from easyread.inputs.loader import read_text

        report = check_text(read_text(Path(source)), profile=args.profile or "easy-read", name=source)
    given = [f"--{name} {shlex.quote(str(value))}" for name in ("template", "profile") if (value := getattr(args, name))]
    report.list_all = " ".join(["easyread check --all", *given, shlex.quote(source)])
    return _report(report, args.json, all_warnings=args.all)


def _report(report: Report, as_json: bool, *, all_warnings: bool = False) -> int:
    """Print a readability report (JSON on stdout, or text on stderr); 1 if it refuses."""
    if as_json:
        sys.stdout.write(report.to_json())
    else:
        sys.stderr.write(report.to_text(all_warnings=all_warnings))
    return REFUSED if report.refused else DONE


def raise_usage(message: str) -> NoReturn:
    """Stop with a usage error (exit 2): one line saying what to give."""
    from easyread.errors import UsageError

    raise UsageError(message)


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of an input kind, or of the Document."""
    if args.kind == "document":
        from easyread.document import Document

        schema = Document.model_json_schema(mode="serialization")  # as the json writer writes it
    else:
        from easyread.inputs.kinds import json_schema

        schema = json_schema(args.kind)
    print(json.dumps(schema, indent=2))
    return DONE


def cmd_templates(args: argparse.Namespace) -> int:
    """`templates list` and `templates lint NAME|PATH`."""
    if args.action == "lint":
        from easyread.lint import lint

        return _report(lint(args.template, args.profile, args.sample, args.kind), args.json, all_warnings=args.all)
    from easyread.composer import templates

    shipped = templates()
    if args.json:
        print(json.dumps(shipped, indent=2))
        return DONE
    width, kind_width = (max(len(info[key]) for info in shipped) for key in ("name", "kind"))
    for info in shipped:
        print(f"{info['name']:<{width}}  {info['kind']:<{kind_width}}  {info['description']}")
    return DONE


def cmd_symbols(args: argparse.Namespace) -> int:
    """`symbols list`, `find WORDS`, `sheet -o FILE` and `review INPUT -o FILE`, each with an optional council folder."""
    if args.action == "sheet" and not args.output:  # before loading the symbols, which takes a moment
        raise_usage("symbols sheet needs a file to draw: easyread symbols sheet -o symbols.png")
    if args.action == "review":
        return _review_symbols(args)
    from easyread.symbols import symbol_set

    symbols = symbol_set(str(Path(args.symbols).resolve()) if args.symbols else None)
    if args.action == "find":
        return _find_symbol(symbols, " ".join(args.words), args.json)
    if args.action == "sheet":
        from easyread.symbols.sheet import draw_set

        print(draw_set(symbols, Path(args.output)))
        return DONE
    concepts = sorted(symbols.concepts.values(), key=lambda c: c.name)
    if args.json:
        print(json.dumps([{"name": c.name, "alt": c.alt, "source": c.source, "code": c.code,
                           "file": str(c.file) if c.file else None, "synonyms": list(c.synonyms)} for c in concepts],
                         indent=2))
    else:
        for concept in concepts:
            where = concept.code or (concept.file.name if concept.file else "-")
            print(f"{concept.name:<22} {where:<12} {concept.alt}")
    return DONE


def _review_symbols(args: argparse.Namespace) -> int:
    """`symbols review INPUT -o FILE`: the review sheet of one document's pictures."""
    if not args.output:
        raise_usage("symbols review needs a file to write: easyread symbols review plan.yaml -o pictures.html")
    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".pdf", ".json"):
        raise_usage(f"symbols review writes .html, .pdf or .json, not {out.name!r}")
    from easyread.composer import compose
    from easyread.picture_review import rows, summary, write

    document = compose(args.input, template=args.template, profile=args.profile, symbols=args.symbols)
    write(document, out)
    totals = summary(rows(document))
    print(f"{out}: {totals['with_picture']} of {totals['statements']} statements have a picture")
    return DONE


def _find_symbol(symbols: SymbolSet, text: str, as_json: bool) -> int:
    """Which picture the words choose, and why; every other candidate too."""
    from dataclasses import asdict

    (chosen, why_none), found = symbols.choose(text), symbols.candidates(text)
    if as_json:
        print(json.dumps({"words": text, "chosen": asdict(chosen) if chosen else None, "why_none": why_none or None,
                          "candidates": [asdict(c) for c in found]}, indent=2))
    elif chosen is None:
        print(f"{why_none} (a wrong picture is worse than none)")
    else:
        print(f":{chosen.name}: {chosen.alt} - because {chosen.reason}")
        for other in found:
            if other != chosen:
                print(f"  also matched :{other.name}: ({other.reason}{'; a not or never reaches it' if other.negated else ''})")
    return DONE


def _error(message: str, label: str = "error") -> None:
    sys.stderr.write(f"easyread: {label}: {message}\n")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve over HTTP until stopped."""
    try:
        from easyread.service import Settings, serve
    except ImportError:
        raise_usage("the HTTP service needs its extra: pip install 'easyread[service]'")
    for folder in [args.templates, args.symbols, *args.picture_folder]:
        if folder is not None and not Path(folder).is_dir():
            raise_usage(f"{folder} is not a folder")
    positive = {"--workers": args.workers, "--max-bytes": args.max_bytes, "--time-limit": args.time_limit,
                "--queue-seconds": args.queue_seconds, "--max-connections": args.max_connections,
                "--header-timeout": args.header_timeout, "--body-timeout": args.body_timeout}
    at_least_0 = {"--max-waiting": args.max_waiting, "--recycle-after": args.recycle_after,
                  "--worker-memory": args.worker_memory}
    if wrong := [name for name, value in positive.items() if value <= 0]:
        raise_usage(f"{', '.join(wrong)} must be more than 0")
    if wrong := [name for name, value in at_least_0.items() if value < 0]:
        raise_usage(f"{', '.join(wrong)} must be 0 or more")
    if args.house_style is not None:  # a mistake in it is said now, not by every render
        from easyread.inputs.house_style import load_house_style

        load_house_style(args.house_style)
    settings = Settings(workers=args.workers, max_body_bytes=args.max_bytes, render_seconds=args.time_limit,
                        max_waiting=args.max_waiting, queue_seconds=args.queue_seconds,
                        recycle_after=args.recycle_after, worker_memory_mb=args.worker_memory,
                        max_connections=args.max_connections, header_seconds=args.header_timeout,
                        body_seconds=args.body_timeout, allowed_hosts=tuple(args.allowed_host),
                        allowed_origins=tuple(args.allowed_origin), token_variable=args.token_env,
                        templates=args.templates, house_style=args.house_style,
                        symbols=args.symbols, picture_folders=tuple(args.picture_folder))
    serve(settings, host=args.host, port=args.port)
    return DONE


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    from easyread.errors import EasyReadError
    from easyread.readability.report import TooDenseError

    try:
        return {"render": cmd_render, "check": cmd_check, "schema": cmd_schema, "templates": cmd_templates,
                "symbols": cmd_symbols, "serve": cmd_serve}[args.command](args)
    except TooDenseError as err:
        sys.stderr.write(err.report.to_text())
        _error(str(err))
        return REFUSED
    except EasyReadError as err:
        _error(str(err))
        return FAILED
    except KeyboardInterrupt:
        _error("stopped")
        return STOPPED
    except BrokenPipeError:  # e.g. `easyread symbols list | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return DONE
    except Exception as err:  # a bug: say so in one line, with its own exit code (never 1, which means "refused")
        if args.debug:
            import traceback

            traceback.print_exc()
        _error(f"this is a bug in easyread ({type(err).__name__}: {err}); please report it, with what "
               "`easyread --debug ...` shows", "internal error")
        return BUG


if __name__ == "__main__":
    sys.exit(main())
