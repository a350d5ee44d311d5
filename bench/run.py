"""The benchmark: where the time goes, stage by stage and format by format.

    .venv/bin/python bench/run.py            # writes bench/RESULTS.md and prints it

Medians of several runs, per stage (load, compose, check, each writer) for every example
and for a generated large plan (40 outcomes, 14-slot timetable, ~300 statements); whole
process times; our visual render beside LibreOffice converting our own .docx to PDF (the
reference a council uses today); and a batch of 200 letters with 1 and 2 worker processes.
Not part of the tests: the numbers depend on the machine.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.batch import jobs_from, render_many, resident_mb  # noqa: E402
from easyread.composer import compose  # noqa: E402
from easyread.document import statements  # noqa: E402
from easyread.inputs.loader import load  # noqa: E402
from easyread.inputs.profile import get_profile  # noqa: E402
from easyread.pipeline import render  # noqa: E402
from easyread.presentation.layout import Layout  # noqa: E402
from easyread.readability import check  # noqa: E402
from easyread.writers import writer  # noqa: E402

FORMATS = ["txt", "json", "docx", "pdf", "html", "mp3"]
LISTENING = "## Listening"  # the section bench/listen.py writes
RUNS = 5


def median_s(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def reset_peak() -> None:
    """Start a new peak: Linux resets VmHWM to the current size when told "5"."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb(action) -> float:
    """The peak resident memory of this process while `action` runs (native memory too)."""
    reset_peak()
    action()
    return resident_mb()


def large_plan(folder: Path) -> Path:
    """A generated plan: 40 outcomes, a 14-slot timetable, about 300 statements."""
    import yaml

    plan = yaml.safe_load((ROOT / "examples" / "jordan-plan.yaml").read_text())
    outcome = plan["outcomes"][0]
    plan["outcomes"] = [copy.deepcopy(outcome) for _ in range(40)]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    slot = plan["timetable"][0]
    plan["timetable"] = [dict(slot, day=days[i % 7], start=f"{8 + i // 7 * 5:02d}:00", end=f"{10 + i // 7 * 5:02d}:00")
                         for i in range(14)]
    for picture in ("pictures",):
        shutil.copytree(ROOT / "examples" / picture, folder / picture, dirs_exist_ok=True)
    path = folder / "large-plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True))
    return path


def stages(path: Path, profile_name: str = "easy-read") -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds and peak resident MB for each stage and format, for one input."""
    profile = get_profile(profile_name)
    plan = load(path)
    document = compose(plan, profile=profile)
    layout = Layout.of(document, profile)
    actions = {"load": lambda: load(path), "compose": lambda: compose(plan, profile=profile),
               "check": lambda: check(document, profile=profile)}
    for fmt in FORMATS:
        module = writer(fmt)
        module.render(document, layout)  # warm
        actions[fmt] = lambda module=module: module.render(document, layout)
    seconds = {name: median_s(action, 3 if name == "mp3" else RUNS) for name, action in actions.items()}
    seconds["statements"] = sum(1 for _ in statements(document))
    memory = {name: stage_memory(path, name) for name in actions}
    return seconds, memory


def stage_memory(path: Path, stage: str) -> tuple[float, float]:
    """(peak resident MB while the stage runs, MB the stage added to the process) in a fresh process.

    A fresh process, because Python keeps memory it has freed: in this one, every stage would
    show the high-water mark of the biggest stage before it.
    """
    done = subprocess.run([sys.executable, __file__, "--memory", str(path), stage], capture_output=True, text=True,
                          check=True)
    before, peak = map(float, done.stdout.split())
    return peak, peak - before


def measure_stage(path: Path, stage: str) -> None:
    """Run the stages before `stage`, then `stage`, and print the resident MB before it and its peak."""
    profile = get_profile("easy-read")
    actions = {"load": lambda: load(path)}
    if stage != "load":
        plan = load(path)
        document = compose(plan, profile=profile)
        actions.update({"compose": lambda: compose(plan, profile=profile), "check": lambda: check(document, profile=profile)})
    if stage in FORMATS:
        module = writer(stage)
        layout = Layout.of(document, profile)
        if stage == "mp3":
            from easyread.writers import audio

            audio.voice_for(layout)  # load the voice first: that is not the stage's memory
        actions[stage] = lambda: module.render(document, layout)
    before = resident_mb("VmRSS")
    print(before, peak_mb(actions[stage]))


def process(*args: str, runs: int = 3) -> float:
    return median_s(lambda: subprocess.run([sys.executable, "-m", "easyread.cli", *args], cwd=ROOT,
                                           capture_output=True, check=False), runs)


def letters(folder: Path, count: int) -> Path:
    path = folder / "letters.jsonl"
    names = ["Amira Hassan", "Bernard Cole", "Chloe Dunn", "Dafydd Price", "Esther Mensah", "Farid Khan"]
    path.write_text("".join(json.dumps({"person": {"name": f"{names[n % len(names)]} {n}"}}) + "\n"
                            for n in range(count)))
    return path


def measure_batch(letters_file: Path, workers: int, outdir: Path) -> None:
    """Render the letters with `workers` processes; print the seconds and the biggest worker's peak MB."""
    jobs = jobs_from([str(letters_file)], ROOT / "examples" / "letters" / "invitation-base.yaml")
    start = time.perf_counter()
    batch = render_many(jobs, {"formats": ["docx", "pdf", "html", "txt"], "outdir": outdir}, workers)
    seconds = time.perf_counter() - start
    assert batch.count("rendered") == len(jobs), batch.summary()
    print(seconds, max(o.worker_peak_mb for o in batch.outcomes))


def main() -> None:
    lines = ["# Benchmark results\n",
             f"{dt.date.today():%d %B %Y}; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {platform.system()} {platform.release()}. "
             f"Medians of {RUNS} runs (mp3: 3), seconds. Produced by `bench/run.py`.\n",
             "## Stages and formats (easy read)\n",
             "| input | statements | load | compose | check | " + " | ".join(FORMATS) + " |",
             "|---" * (5 + len(FORMATS)) + "|"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        inputs = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "too-dense" not in p.name)
        inputs.append(large_plan(folder))
        memory_rows = []
        columns = ["load", "compose", "check", *FORMATS]
        for path in inputs:
            row, memory = stages(path)
            lines.append(f"| {path.stem} | {row['statements']} | " + " | ".join(f"{row[k]:.3f}" for k in columns) + " |")
            memory_rows.append(f"| {path.stem} | " + " | ".join(f"{memory[k][0]:.0f} (+{memory[k][1]:.0f})"
                                                                 for k in columns) + " |")
        lines += ["\n## Peak memory while each stage runs (resident MB, native memory included)\n",
                  "Each stage in a fresh process that has run the stages before it: the process's peak "
                  "resident size during the stage (Linux's high-water mark, reset just before it), and in "
                  "brackets what the stage added to the process.\n",
                  "| input | " + " | ".join(columns) + " |", "|---" * (1 + len(columns)) + "|", *memory_rows, ""]

        lines += ["## Whole process\n", "| command | seconds |", "|---|---|"]
        out = folder / "out"
        for label, args in [
            ("`easyread --help` (cold start)", ["--help"]),
            ("`easyread check examples/jordan-plan.yaml`", ["check", "examples/jordan-plan.yaml"]),
            ("`easyread render jordan-plan --to docx,pdf,html,txt`",
             ["render", "examples/jordan-plan.yaml", "--to", "docx,pdf,html,txt", "-o", str(out)]),
            ("`easyread render jordan-plan --to docx,pdf,html,txt,mp3`",
             ["render", "examples/jordan-plan.yaml", "--to", "docx,pdf,html,txt,mp3", "-o", str(out)]),
        ]:
            lines.append(f"| {label} | {process(*args):.2f} |")

        soffice = shutil.which("soffice")
        visual = process("render", "examples/jordan-plan.yaml", "--to", "docx,pdf,html,txt", "-o", str(out))
        if soffice:
            docx = out / "jordan-plan.docx"
            lo = median_s(lambda: subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless",
                                                  "--convert-to", "pdf", "--outdir", str(folder / "lo-out"), str(docx)],
                                                 capture_output=True, check=False), 3)
            warm = median_s(lambda: render(ROOT / "examples" / "jordan-plan.yaml", formats=["docx", "pdf", "html", "txt"],
                                           outdir=folder / "warm"))
            lines += ["\n## Against today's reference\n",
                      f"LibreOffice converting our own .docx to PDF (`soffice --headless --convert-to pdf`, a new "
                      f"process each time, as a council runs it): {lo:.2f} s.\n",
                      "| our visual render of jordan-plan (docx + pdf + html + txt) | seconds | ratio to LibreOffice |",
                      "|---|---|---|",
                      f"| `easyread render` command, a new process (Python start-up and imports included) | "
                      f"{visual:.2f} | **{visual / lo:.2f}** |",
                      f"| `easyread.render()` in a running process (a case-management system, a batch worker) | "
                      f"{warm:.2f} | **{warm / lo:.2f}** |",
                      "\nThe goal is a ratio of at most 0.16 in a running process.\n"]

        letters_file = letters(folder, 200)
        lines += ["## Batch: 200 review-invitation letters (docx, pdf, html, txt)\n",
                  "| workers | seconds | documents a minute | peak memory a worker |", "|---|---|---|---|"]
        results = {}
        for workers in (1, 2):
            # a fresh process: with 1 worker the batch runs in the process itself
            done = subprocess.run([sys.executable, __file__, "--batch", str(letters_file), str(workers),
                                   str(folder / f"batch{workers}")], capture_output=True, text=True, check=True)
            seconds, peak_worker = map(float, done.stdout.split())
            results[workers] = seconds
            lines.append(f"| {workers} | {seconds:.1f} | {200 / seconds * 60:.0f} | {peak_worker:.0f} MB |")
        lines.append(f"\nSpeed-up with 2 workers: **{results[1] / results[2]:.2f}x** (goal at least 1.8x on 2 cores).\n")
    text = "\n".join(lines) + "\n"
    results_file = ROOT / "bench" / "RESULTS.md"
    old = results_file.read_text() if results_file.exists() else ""
    if LISTENING in old:  # bench/listen.py's section (half an hour of listening) is kept as it was
        text += "\n" + old[old.index(LISTENING):]
    results_file.write_text(text)
    print(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        measure_stage(Path(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["--batch"]:
        measure_batch(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
