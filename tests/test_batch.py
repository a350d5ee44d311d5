"""Batch rendering: many inputs in parallel workers, one bad input never stops the rest, Ctrl-C is clean."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf
import pytest

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
    assert "From 2pm to 3pm." in (out / "invitations-2.txt").read_text().replace("\u00a0", " ")
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"person": {"name": "Fatima Noor"}}\n\n{"person": {"name": "George Hill", "known_as": "Geo"}}\n')
    jobs = jobs_from([str(lines)], LETTERS / "invitation-base.yaml")
    assert [job.stem for job in jobs] == ["more-1", "more-2"] and jobs[1].source["person"]["known_as"] == "Geo"
    assert jobs[1].source["meeting"]["place"]["name"] == "Northmoor Hub"


@pytest.mark.slow
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


# --- issue 13: no wrong person, no lost document ------------------------------------------------

BASE = LETTERS / "invitation-base.yaml"


def person(plan: dict, name: str) -> dict:
    """The small plan for someone else."""
    return {**plan, "person": {**plan["person"], "name": name, "known_as": name.split()[0]}}


def test_inputs_with_the_same_name_in_different_folders_keep_their_folders(plan, write, tmp_path):
    write("cases/a/plan.yaml", person(plan, "Ada Lovelock"))
    write("cases/b/plan.yaml", person(plan, "Bob Marley"))
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "cases" / "*" / "plan.yaml", "--to", "txt,json", "-o", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted(str(out / f"{c}/plan.{e}") for c in "ab" for e in ("txt", "json"))
    first, second = (out / "a" / "plan.txt").read_text(), (out / "b" / "plan.txt").read_text()
    assert first.startswith("Ada's care") and second.startswith("Bob's care")  # each person's own plan
    report = json.loads((out / "easyread-report.json").read_text())
    paths = [path for document in report["documents"] for path in document["paths"]]
    assert len(paths) == len(set(paths)) == 4


def test_a_dot_in_a_name_is_part_of_the_name(plan, write, tmp_path):
    write("in/jordan.2026-11.yaml", person(plan, "Jordan Ash"))
    write("in/jordan.2027-01.yaml", person(plan, "Jordan Ash"))
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "in", "--to", "txt", "-o", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["jordan.2026-11.txt", "jordan.2027-01.txt"]


def test_the_formats_extensions_are_their_names():
    # what a person asks for (`--to speech.txt`) is how the file ends (`jordan-plan.speech.txt`)
    from easyread.writers import FORMATS

    assert {name: fmt.extension for name, fmt in FORMATS.items()} == {name: "." + name for name in FORMATS}


def test_names_that_still_clash_refuse_the_batch_before_rendering(plan, write, tmp_path):
    write("in/ada.yaml", person(plan, "Ada Lovelock"))
    write("in/ada.json", json.dumps(person(plan, "Bob Marley")))
    out = tmp_path / "out"
    result = run_cli("render", tmp_path / "in", "--to", "txt", "-o", out)
    assert result.returncode == 2
    assert "nothing was rendered" in result.stderr and f"would both write {out / 'ada.txt'}" in result.stderr
    assert not out.exists()


def test_a_batch_never_writes_over_its_own_inputs_nor_reads_its_report(plan, write, tmp_path):
    folder = tmp_path / "in"
    write("in/ada.yaml", person(plan, "Ada Lovelock"))
    bob = write("in/bob.json", json.dumps(person(plan, "Bob Marley")))
    before = bob.read_text()
    result = run_cli("render", folder, "--to", "json", "-o", folder)
    assert result.returncode == 2
    assert f"writing {folder / 'bob.json'} for {bob} would replace {bob}, an input of this batch" in result.stderr
    assert bob.read_text() == before and sorted(p.name for p in folder.iterdir()) == ["ada.yaml", "bob.json"]
    for _ in range(2):  # the second run must not take the first run's report for a plan
        result = run_cli("render", folder, "--to", "txt", "-o", folder)
        assert result.returncode == 0, result.stderr
        assert "2 rendered, 0 refused, 0 failed" in result.stderr
    for _ in range(2):  # nor a report of its own name
        result = run_cli("render", folder, "--to", "txt", "-o", folder, "--report", folder / "mine.json")
        assert result.returncode == 0 and "2 rendered, 0 refused, 0 failed" in result.stderr, result.stderr
    result = run_cli("render", folder / "*.json", "--to", "txt", "-o", tmp_path / "out")  # a glob neither
    assert result.returncode == 0 and result.stdout.split() == [str(tmp_path / "out" / "bob.txt")], result.stderr


def test_csv_rows_with_missing_or_extra_cells_fail_alone(tmp_path):
    rows = tmp_path / "letters.csv"
    rows.write_text("person.name,person.known_as,meeting.date,meeting.start,meeting.end\n"
                    "Amira Hassan,Amira,2027-01-11,10:00,11:00\n"
                    "Bernard Cole,Bernie,2027-01-11,14:00\n"          # a cell missing: never the base's end time
                    "Chloe Dunn,Chloe,2027-01-12,10:30,11:30,extra\n"  # a cell too many (was AttributeError)
                    "Dafydd Price,Dai,2027-01-12,14:00,15:00\n")
    out = tmp_path / "out"
    result = run_cli("render", rows, "--base", BASE, "--to", "txt", "-o", out, "-j", "2")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "2 rendered, 0 refused, 2 failed" in result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["letters-1.txt", "letters-4.txt"]
    report = json.loads((out / "easyread-report.json").read_text())
    failed = {d["name"]: d["message"] for d in report["documents"] if d["status"] == "failed"}
    assert failed == {
        f"{rows}:2": f"{rows}:3: row 2 has 4 cells but the header names 5 columns, so these are missing: meeting.end; "
                     "give every cell (an empty one takes the base's value)",
        f"{rows}:3": f"{rows}:4: row 3 has 6 cells but the header names 5 columns "
                     "(a value with a comma needs \"quotes\" around it)",
    }


def test_rows_that_cannot_be_letters_fail_alone_with_the_file_and_row(tmp_path):
    table = tmp_path / "clash.csv"
    table.write_text("person,person.name\n,Amira Hassan\nBernard Cole,Bernie\n")  # was TypeError
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"person": {"name": "Fatima Noor"}}\n["George Hill"]\n{"person": \n')
    out = tmp_path / "out"
    result = run_cli("render", table, lines, "--base", BASE, "--to", "txt", "-o", out, "-j", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["clash-1.txt", "more-1.txt"]
    report = json.loads((out / "easyread-report.json").read_text())
    failed = {d["name"]: d["message"] for d in report["documents"] if d["status"] == "failed"}
    assert failed[f"{table}:2"] == (f"{table}:3: row 2: the columns 'person' and 'person.name' both have a value, but "
                                    "person.name is a field inside person; give one or the other")
    assert failed[f"{lines}:2"].startswith(f"{lines}:2: row 2 is a list, not an object of fields")
    assert re.match(rf"{re.escape(str(lines))}:3:\d+: row 3 is not valid JSON", failed[f"{lines}:3"])
    assert "[5/5]" in result.stderr and "  " + failed[f"{lines}:2"] in result.stderr.splitlines()


class KillsItsWorker(Job):
    """A job whose worker dies as it starts it, as the OOM killer would kill it: SIGKILL, no goodbye.

    With a `fifo`, it first waits there for another job (MeetsTheKilledOne), so both are running when it dies.
    """

    fifo: Path | None = None

    @property
    def source(self):  # read by run_one in the worker; the main process only plans names from it
        if os.getpid() != self.home:
            if self.fifo is not None and not self.fifo.with_suffix(".met").exists():
                self.pipe = open(self.fifo, "wb")  # noqa: SIM115 - open until the process dies: that is the signal
                self.fifo.with_suffix(".met").touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return self._source

    @source.setter
    def source(self, value):
        self._source, self.home = value, os.getpid()


class MeetsTheKilledOne(KillsItsWorker):
    """A job that is running when the killed one dies: they meet at a FIFO, and it reads until the other is gone."""

    @property
    def source(self):
        if os.getpid() != self.home and not self.fifo.with_suffix(".met").exists():
            with open(self.fifo, "rb") as pipe:  # returns once the killed one opens its end
                self.fifo.with_suffix(".met").touch()
                pipe.read()  # returns when the killed one's process is gone
        return self._source

    @source.setter
    def source(self, value):
        self._source, self.home = value, os.getpid()


@pytest.mark.slow
def test_a_killed_worker_fails_only_its_job_and_the_batch_goes_on(plan, tmp_path, monkeypatch, capsys):
    from easyread import batch, cli

    jobs = [Job(f"person {n}", person(plan, f"Person Number{n}"), f"person-{n}") for n in range(1, 6)]
    jobs[1] = KillsItsWorker("the killed one", person(plan, "Kim Killed"), "killed")
    monkeypatch.setattr(batch, "jobs_from", lambda inputs, base=None, name_column=None: jobs)
    out = tmp_path / "out"
    code = cli.main(["render", "unused", "--to", "txt", "-o", str(out), "-j", "2"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "4 rendered, 0 refused, 1 failed" in err and f"report in {out / 'easyread-report.json'}" in err
    assert sorted(p.name for p in out.glob("*.txt")) == [f"person-{n}.txt" for n in (1, 3, 4, 5)]
    report = json.loads((out / "easyread-report.json").read_text())
    (failed,) = [d for d in report["documents"] if d["status"] == "failed"]
    assert failed["name"] == "the killed one"
    assert failed["message"].startswith("the worker rendering it stopped unexpectedly (killed?")


@pytest.mark.slow
def test_a_job_running_beside_a_killed_one_is_rendered_not_blamed(plan, tmp_path):
    fifo = tmp_path / "meet.fifo"
    os.mkfifo(fifo)
    beside = MeetsTheKilledOne("beside", person(plan, "Ian Nocent"), "beside")
    killed = KillsItsWorker("killed", person(plan, "Kim Killed"), "killed")
    beside.fifo = killed.fifo = fifo
    seen = []
    batch = render_many([beside, killed], {"formats": ["txt"], "outdir": tmp_path / "out"}, workers=2,
                        on_progress=lambda outcome, done, total: seen.append((done, total)))
    assert {o.name: o.status for o in batch.outcomes} == {"beside": "rendered", "killed": "failed"}, batch.outcomes
    assert seen == [(1, 2), (2, 2)] and (tmp_path / "out" / "beside.txt").exists()


def test_a_second_run_into_the_input_folder_takes_nothing_the_first_one_wrote(plan, write, tmp_path):
    folder = tmp_path / "in"
    write("in/ada.yaml", person(plan, "Ada Lovelock"))
    write("in/bob.yaml", person(plan, "Bob Marley"))
    for _ in range(2):  # the report and each document's .json are easyread's, not plans
        result = run_cli("render", folder, "--to", "txt,json", "-o", folder, "-j", "2")
        assert result.returncode == 0, result.stderr
        assert "2 rendered, 0 refused, 0 failed" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "ada.json", "ada.txt", "ada.yaml", "bob.json", "bob.txt", "bob.yaml", "easyread-report.json"]


# --- what communications teams asked for -------------------------------------------------------------

def test_a_list_column_takes_items_separated_by_semicolons_or_a_json_list(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text('person.name,meeting.support_offered[],meeting.place.address[]\n'
                     'Amira Hassan,You can have a break at any time; We can meet at your home,'
                     '"[""4 Mill Lane"", ""Northmoor; East"", ""NM2 4AB""]"\n'
                     'Bernard Cole,,\n'
                     'Chloe Dunn,,"[""4 Mill Lane"", 7]"\n')
    jobs = jobs_from([str(table)], BASE)
    meeting = jobs[0].source["meeting"]
    assert meeting["support_offered"] == ["You can have a break at any time", "We can meet at your home"]
    assert meeting["place"]["address"] == ["4 Mill Lane", "Northmoor; East", "NM2 4AB"]  # a ";" inside JSON stays
    assert jobs[1].source["meeting"]["support_offered"] == ["We will send you easy-read papers 1 week before.",
                                                            "You can have a break at any time."]  # the base's
    assert str(jobs[2].problem) == (f"{table}:4: row 3, column 'meeting.place.address[]': is a JSON value but not a "
                                    'list of words; write it like ["one", "two"]')


def test_files_named_after_a_column_with_each_rows_own_formats(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text("person.name,person.reference,formats,profile\n"
                     "Amira Hassan,NC-10421,\"txt,html\",\n"
                     "Bernard Cole,NC-10422,,large-print\n"
                     "Chloe Dunn,../../etc,,\n"
                     "Dafydd Price,NC-10424,txt,huge\n")
    out = tmp_path / "out"
    result = run_cli("render", table, "--base", BASE, "--to", "txt", "-o", out, "--name-column", "person.reference")
    assert result.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["NC-10421.html", "NC-10421.txt", "NC-10422.txt",
                                                     "easyread-report.json"]
    assert "Hello Amira." in (out / "NC-10421.html").read_text()
    report = {d["name"]: d for d in json.loads((out / "easyread-report.json").read_text())["documents"]}
    assert "its --name-column 'person.reference' is '../../etc', which is not a plain file name" in \
        report[f"{table}:3"]["message"]
    assert "row 4, column 'profile': 'huge' is not a profile" in report[f"{table}:4"]["message"]
    missing = run_cli("render", table, "--base", BASE, "--to", "txt", "-o", out, "--name-column", "person.nhs")
    assert missing.returncode == 2 and "has no column 'person.nhs'" in missing.stderr


def test_a_rows_bad_cell_is_named_by_its_row_and_column_not_dict(tmp_path):
    table = tmp_path / "letters.csv"
    table.write_text("person.name,meeting.date\nAmira Hassan,2027-01-11\nBernard Cole,2027-13-45\n")
    out = tmp_path / "out"
    result = run_cli("render", table, "--base", BASE, "--to", "txt", "-o", out)
    report = {d["name"]: d for d in json.loads((out / "easyread-report.json").read_text())["documents"]}
    message = report[f"{table}:2"]["message"]
    assert f"{table}:3: row 2, column 'meeting.date': expected a date written like 2026-03-14" in message
    assert "<dict>" not in message and "<dict>" not in result.stderr


@pytest.mark.slow
def test_a_batch_on_a_dask_cluster_makes_the_same_files_as_the_local_batch(tmp_path, monkeypatch):
    """500 letters on a LocalCluster of 2 worker processes: byte for byte the local batch's, a bad row reported."""
    from distributed import LocalCluster

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # both PDFs stamped alike (the Dask workers inherit it)
    names = ["Amira Hassan", "Bernard Cole", "Chloe Dunn", "Dafydd Price", "Esme Ward"]
    rows = [f"{names[n % 5]},NC-{n:05d},2027-01-{11 + n % 10:02d}" for n in range(500)]
    rows[250] = "Faisal Khan,NC-00250,2027-02-30"  # no such day: fails alone, named by its row and column
    table = tmp_path / "letters.csv"
    table.write_text("person.name,person.reference,meeting.date\n" + "\n".join(rows) + "\n")
    options = {"formats": ["pdf", "txt"]}
    # the local batch in a process of its own: this one's fork server may have started before the time was set
    local = run_cli("render", table, "--base", BASE, "--to", "pdf,txt", "-o", tmp_path / "local", "-j", "2",
                    "--name-column", "person.reference", "--report", tmp_path / "local.json", env=dict(os.environ))
    assert "499 rendered, 0 refused, 1 failed" in local.stderr, local.stderr[-2000:]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        seen: list[int] = []
        spread = render_many(jobs_from([str(table)], BASE, "person.reference"),
                             {**options, "outdir": tmp_path / "dask"}, scheduler=cluster.scheduler_address,
                             on_progress=lambda outcome, done, total: seen.append(done))
    assert (spread.count("rendered"), spread.count("failed")) == (499, 1)
    assert seen == list(range(1, 501))
    [failed] = [o for o in spread.outcomes if o.status == "failed"]
    assert failed.name == f"{table}:251" and "row 251, column 'meeting.date'" in failed.message
    made = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(made) == 998 and made == sorted(p.name for p in (tmp_path / "dask").iterdir())
    different = [name for name in made if (tmp_path / "local" / name).read_bytes() !=
                 (tmp_path / "dask" / name).read_bytes()]
    assert different == []
