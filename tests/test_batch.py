"""Batch rendering: many inputs in parallel workers, one bad input never stops the rest, Ctrl-C is clean."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf

from easyread.batch import Job, jobs_from, render_many
from tests.conftest import EXAMPLES, ROOT, run_cli

LETTERS = EXAMPLES / "letters"


def test_a_folder_with_a_refused_and_a_broken_input_keeps_going(plan, write, tmp_path):
    folder = tmp_path / "in"
    write("in/ada.yaml", plan)
    dense = dict(plan, about_me=plan["about_me"])
    dense["needs"] = [dict(plan["needs"][0], description={"text": "x", "easy_read": "You get domiciliary care."})]
    write("in/dense.yaml", dense)
    write("in/broken.yaml", "kind: plan\nperson: {name: [\n")
    out = tmp_path / "out"
    result = run_cli("render", folder, "--to", "txt,json", "-o", out, "-j", "2")
    assert result.returncode == 2  # something failed
    assert sorted(p.name for p in out.iterdir()) == ["ada.json", "ada.txt", "easyread-report.json"]
    assert result.stdout.split() == [str(out / "ada.txt"), str(out / "ada.json")]
    assert "1 rendered, 1 refused, 1 failed" in result.stderr
    assert re_line(result.stderr, r"\[\d/3\] refused .*dense\.yaml")  # plain progress lines when not a terminal
    report = json.loads((out / "easyread-report.json").read_text())
    by_name = {Path(d["name"]).name: d for d in report["documents"]}
    assert by_name["dense.yaml"]["status"] == "refused" and by_name["dense.yaml"]["findings"][0]["rule"] == "jargon"
    assert by_name["broken.yaml"]["status"] == "failed" and "not valid YAML" in by_name["broken.yaml"]["message"]
    assert (report["rendered"], report["refused"], report["failed"]) == (1, 1, 1)


def re_line(text: str, pattern: str) -> bool:
    import re

    return any(re.search(pattern, line) for line in text.splitlines())


def test_only_refusals_exit_1(plan, write, tmp_path):
    dense = dict(plan)
    dense["needs"] = [dict(plan["needs"][0], description={"text": "x", "easy_read": "You get domiciliary care."})]
    write("a/one.yaml", dense)
    write("a/two.yaml", dense)
    assert run_cli("render", tmp_path / "a", "--to", "txt", "-o", tmp_path / "out").returncode == 1


def test_letters_from_csv_and_json_lines_merged_over_a_base(tmp_path):
    out = tmp_path / "out"
    result = run_cli("render", LETTERS / "invitations.csv", "--base", LETTERS / "invitation-base.yaml",
                     "--to", "txt", "-o", out)
    assert result.returncode == 0, result.stderr
    letters = sorted(p.name for p in out.glob("invitations-*.txt"))
    assert letters == [f"invitations-{n}.txt" for n in range(1, 6)]
    assert "Hello Bernie." in (out / "invitations-2.txt").read_text()
    assert "From 2pm to 3pm." in (out / "invitations-2.txt").read_text()
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"person": {"name": "Fatima Noor"}}\n\n{"person": {"name": "George Hill", "known_as": "Geo"}}\n')
    jobs = jobs_from([str(lines)], LETTERS / "invitation-base.yaml")
    assert [job.stem for job in jobs] == ["more-1", "more-2"] and jobs[1].source["person"]["known_as"] == "Geo"
    assert jobs[1].source["meeting"]["place"]["name"] == "Northmoor Hub"


def test_render_many_reports_progress_through_a_callback(tmp_path):
    jobs = jobs_from([str(LETTERS / "invitations.csv")], LETTERS / "invitation-base.yaml")
    seen = []
    batch = render_many(jobs, {"formats": ["txt"], "outdir": tmp_path}, workers=2,
                        on_progress=lambda outcome, done, total: seen.append((done, total, outcome.status)))
    assert [s[:2] for s in seen] == [(n, 5) for n in range(1, 6)] and {s[2] for s in seen} == {"rendered"}
    assert batch.exit_code == 0 and batch.count("rendered") == 5
    assert batch.summary().startswith("5 rendered, 0 refused, 0 failed in ")


def test_a_glob_pattern_expands(tmp_path):
    jobs = jobs_from([str(EXAMPLES / "jordan-*.yaml")])
    assert [Path(j.name).name for j in jobs] == ["jordan-plan.yaml", "jordan-review-letter.yaml"]
    assert jobs_from([str(EXAMPLES)]) and all(isinstance(j, Job) for j in jobs)


def lines_from(stream) -> queue.Queue:
    """The lines of a process's output, read by a thread into a queue (None at the end), so a test
    can wait for a line with a timeout instead of blocking forever."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def rest_of(lines: queue.Queue, timeout: float = 30) -> str:
    text = []
    while (line := lines.get(timeout=timeout)) is not None:
        text.append(line)
    return "".join(text)


def test_ctrl_c_stops_cleanly_keeping_finished_files(tmp_path):
    rows = tmp_path / "many.jsonl"
    rows.write_text("".join(json.dumps({"person": {"name": f"Person {n}"}}) + "\n" for n in range(60)))
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "easyread.cli", "render", str(rows), "--base", str(LETTERS / "invitation-base.yaml"),
         "--to", "pdf,docx", "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    stdout, stderr_lines = lines_from(process.stdout), lines_from(process.stderr)
    try:
        try:
            first = stdout.get(timeout=180)  # the first finished document's first file
        except queue.Empty:
            raise AssertionError("no document was finished within 180 s") from None
        assert first is not None, f"the batch ended before finishing a document:\n{rest_of(stderr_lines)}"
        assert first.strip().endswith((".pdf", ".docx")), first
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stderr = rest_of(stderr_lines)
    rest_of(stdout)
    assert process.returncode == 130, stderr
    assert "(stopped early)" in stderr
    assert not list(out.glob(".*.part")) and not list(out.glob("*.part"))  # nothing half-written
    finished = sorted(out.glob("*.pdf"))
    assert 0 < len(finished) < 60
    for pdf in finished:
        with pikepdf.open(pdf) as document:  # every file that is there is whole
            assert len(document.pages) >= 1
    report = json.loads((out / "easyread-report.json").read_text())
    assert report["stopped"] and report["rendered"] == len(finished)
