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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easyread.batch import jobs_from, render_many  # noqa: E402
from easyread.compose import compose  # noqa: E402
from easyread.load import load  # noqa: E402
from easyread.profile import get_profile  # noqa: E402
from easyread.readability import check  # noqa: E402
from easyread.writers import writer  # noqa: E402

FORMATS = ["txt", "json", "docx", "pdf", "html", "mp3"]
RUNS = 5


def median_s(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def stages(path: Path, profile_name: str = "easy-read") -> dict[str, float]:
    profile = get_profile(profile_name)
    plan = load(path)
    document = compose(plan, profile=profile)
    row = {"load": median_s(lambda: load(path)), "compose": median_s(lambda: compose(plan, profile=profile)),
           "check": median_s(lambda: check(document, profile))}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in FORMATS:
            module = writer(fmt)
            target = Path(folder) / f"x{module.EXTENSION}"
            module.write(document, profile, target)  # warm
            row[fmt] = median_s(lambda: module.write(document, profile, target), 3 if fmt == "mp3" else RUNS)
    row["statements"] = sum(1 for _ in document.statements())
    return row


def process(*args: str, runs: int = 3) -> float:
    return median_s(lambda: subprocess.run([sys.executable, "-m", "easyread.cli", *args], cwd=ROOT,
                                           capture_output=True, check=False), runs)


def letters(folder: Path, count: int) -> Path:
    path = folder / "letters.jsonl"
    names = ["Amira Hassan", "Bernard Cole", "Chloe Dunn", "Dafydd Price", "Esther Mensah", "Farid Khan"]
    path.write_text("".join(json.dumps({"person": {"name": f"{names[n % len(names)]} {n}"}}) + "\n"
                            for n in range(count)))
    return path


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
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for path in inputs:
            row = stages(path)
            lines.append(f"| {path.stem} | {row['statements']} | " + " | ".join(
                f"{row[k]:.3f}" for k in ["load", "compose", "check", *FORMATS]) + " |")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"\nPeak memory of this process after all of that: {peak:.0f} MB "
                     f"(before the stages: {peak_before:.0f} MB).\n")

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
            lines += ["\n## Against today's reference\n",
                      f"LibreOffice converting our own .docx to PDF (`soffice --headless --convert-to pdf`): "
                      f"{lo:.2f} s. Our whole visual render (docx + pdf + html + txt, one process): {visual:.2f} s, "
                      f"a ratio of **{visual / lo:.2f}** (goal: at most 0.25).\n"]

        base = ROOT / "examples" / "letters" / "invitation-base.yaml"
        jobs = jobs_from([str(letters(folder, 200))], base)
        lines += ["## Batch: 200 review-invitation letters (docx, pdf, html, txt)\n",
                  "| workers | seconds | documents a minute | peak memory a worker |", "|---|---|---|---|"]
        results = {}
        for workers in (1, 2):
            options = {"formats": ["docx", "pdf", "html", "txt"], "outdir": folder / f"batch{workers}"}
            start = time.perf_counter()
            batch = render_many(jobs, options, workers)
            seconds = time.perf_counter() - start
            results[workers] = seconds
            peak_worker = max(o.worker_peak_mb for o in batch.outcomes)
            assert batch.count("rendered") == 200, batch.summary()
            lines.append(f"| {workers} | {seconds:.1f} | {200 / seconds * 60:.0f} | {peak_worker:.0f} MB |")
        lines.append(f"\nSpeed-up with 2 workers: **{results[1] / results[2]:.2f}x** (goal at least 1.8x on 2 cores).\n")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
