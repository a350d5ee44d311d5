"""easyread serve: a real server on a free port, called through a real HTTP client.

Each output is compared byte for byte with what the CLI makes (SOURCE_DATE_EPOCH fixes the time
both stamp), the error codes and their bodies are checked, and the server's log is read to see
that it never holds the person's text.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pikepdf
import pytest
import yaml
from openapi_spec_validator import validate

from easyread.composer import compose
from easyread.inputs.kinds import json_schema
from tests.conftest import EXAMPLES, ROOT, pdf_structure, run_cli

TOKEN = "s3cret-token-for-tests"
EPOCH = "1790000000"
LETTER = EXAMPLES / "jordan-review-letter.yaml"
PLAN = EXAMPLES / "jordan-plan.yaml"
SHORT = EXAMPLES / "dylan-change-letter.yaml"
CUSTOM = """{#---
kind: letter
description: The council's own short letter.
---#}
# A letter for {{ person.called }}

:hello: Hello {{ person.called }}.
:calendar: We sent this on {{ date | date }}.
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A running `easyread serve` and what it logs."""

    def __init__(self, folder: Path, *options: str, token: str | None = TOKEN,
                 environment: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}.log"
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(environment or {})}
        env.pop("EASYREAD_TOKEN", None)
        if token is not None:
            env["EASYREAD_TOKEN"] = token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "easyread.cli", "serve", "--port", str(self.port),
                                             *options], stdout=log, stderr=log, env=env, cwd=folder)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("the server did not start: " + self.log.read_text())

    def post(self, path: str, body: bytes | str, kind: str = "application/yaml", **params: str) -> httpx.Response:
        return httpx.post(self.url + path, content=body, params=params, timeout=180,
                          headers={**self.headers, "Content-Type": kind})

    def send(self, path: str, body: bytes, pictures: list[tuple[str, bytes]], **params: str) -> httpx.Response:
        """A multipart request: the input, and pictures sent with it by file name."""
        parts = [("input", ("plan.yaml", body, "application/yaml"))]
        parts += [("picture", (name, data, "image/png")) for name, data in pictures]
        return httpx.post(self.url + path, files=parts, params=params, headers=self.headers, timeout=180)

    def get(self, path: str, **params: str) -> httpx.Response:
        return httpx.get(self.url + path, params=params, headers=self.headers, timeout=60)

    def stop(self) -> bool:
        """Stop it as a service manager would (SIGTERM); True when it shut down cleanly."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=120)  # uvicorn ends by raising the signal again, as a service should
        return code in (0, -signal.SIGTERM) and any(r["event"] == "stopped" for r in self.logged())

    def logged(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("service")
    (folder / "templates").mkdir()
    (folder / "templates" / "short_letter.md.j2").write_text(CUSTOM)
    running = Server(folder, "--workers", "2", "--picture-folder", str(EXAMPLES), "--templates",
                     str(folder / "templates"), "--max-bytes", "300000")
    yield running
    assert running.stop()


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory):
    """What the CLI makes from the same inputs, at the same time stamp: {(example, format): bytes}."""
    out = tmp_path_factory.mktemp("cli")
    made = {}
    for example, formats in ((PLAN, "pdf,docx,html,txt"), (LETTER, "pdf,docx,html,txt,json"), (SHORT, "mp3,pdf")):
        result = subprocess.run([sys.executable, "-m", "easyread.cli", "render", str(example), "--to", formats,
                                 "-o", str(out)], env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        for fmt in formats.split(","):
            made[(example.name, fmt)] = (out / f"{example.stem}.{fmt}").read_bytes()
    return made


def test_health_needs_no_token_and_everything_else_does(server):
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    bare = httpx.get(server.url + "/version")
    assert bare.status_code == 401 and bare.headers["www-authenticate"] == "Bearer"
    assert bare.json()["error"] == "token"
    wrong = httpx.get(server.url + "/version", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert httpx.post(server.url + "/render", content=PLAN.read_bytes(),
                      headers={"Content-Type": "application/yaml"}).status_code == 401
    version = server.get("/version").json()
    assert version["workers"] == 2 and "pdf" in version["formats"] and version["max_body_bytes"] == 300000


def test_one_format_is_the_file_itself_and_the_same_as_the_cli(server, cli_outputs):
    response = server.post("/render", PLAN.read_bytes(), formats="pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="plan.pdf"'
    assert response.headers["x-easyread-kind"] == "plan"
    assert response.content == cli_outputs[(PLAN.name, "pdf")]
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "en-GB" and len(pdf.pages) > 10


def test_several_formats_are_a_zip_of_files_the_same_as_the_cli(server, cli_outputs):
    body = json.dumps(yaml.safe_load(LETTER.read_text()), default=str)  # JSON as well as YAML
    response = server.post("/render", body, kind="application/json", formats="docx,pdf,html,txt,json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="letter.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert names == ["letter.docx", "letter.pdf", "letter.html", "letter.txt", "letter.json"]
        for name in names:
            fmt = name.split(".", 1)[1]
            assert archive.read(name) == cli_outputs[(LETTER.name, fmt)], name


def test_bad_input_is_400_with_every_problem_and_its_field_and_line(server):
    text = PLAN.read_text().replace("kind: plan", "kind: plan\ncolour: blue", 1).replace("date: 2026-", "date: 26-", 1)
    response = server.post("/render", text, formats="pdf")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "input" and body["message"]
    fields = {problem["field"]: problem for problem in body["problems"]}
    assert set(fields) == {"colour", "date"}
    assert fields["colour"]["message"].startswith("is not a field easyread knows; check the spelling, or keep a part "
                                                  "of your own under `extra:`")
    assert fields["colour"]["line"] == text.splitlines().index("colour: blue") + 1
    not_yaml = server.post("/render", "kind: plan\nperson: [\n", formats="pdf")
    assert not_yaml.status_code == 400 and not_yaml.json()["problems"][0]["line"] == 3
    assert "is not valid YAML" in not_yaml.json()["problems"][0]["message"]


def test_a_refusal_is_422_with_the_readability_report(server):
    response = server.post("/render", (EXAMPLES / "too-dense-plan.yaml").read_bytes(), formats="pdf")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "refused" and body["report"]["refused"] is True
    refusals = [f for f in body["report"]["findings"] if f["level"] == "refuse"]
    assert refusals and all(f["rule"] and f["fix"] for f in refusals)


def test_a_body_over_the_limit_is_413_with_or_without_a_length(server):
    big = PLAN.read_text() + "\n# " + "x" * 300_000 + "\n"
    assert server.post("/render", big, formats="txt").status_code == 413

    def chunks():  # no Content-Length: the server counts as the body comes
        for _ in range(40):
            yield b"# " + b"y" * 9998 + b"\n"

    streamed = httpx.post(server.url + "/render", content=chunks(), params={"formats": "txt"}, timeout=60,
                          headers={**server.headers, "Content-Type": "application/yaml"})
    assert streamed.status_code == 413 and streamed.json()["error"] == "too-large"


def test_a_media_type_that_is_not_json_or_yaml_is_415(server):
    response = server.post("/render", PLAN.read_bytes(), kind="text/html", formats="pdf")
    assert response.status_code == 415 and "application/yaml" in response.json()["message"]


def test_templates_are_the_servers_own_or_shipped_named_never_paths(server):
    listed = server.get("/templates").json()
    assert {"name": "short_letter", "kind": "letter", "description": "The council's own short letter.",
            "source": "server"} in listed
    assert {t["name"] for t in listed if t["source"] == "shipped"} >= {"support_plan", "hospital_passport"}
    mine = server.post("/render", LETTER.read_bytes(), formats="txt", template="short_letter")
    assert mine.status_code == 200 and mine.text.startswith("A letter for Jordan\n")
    for sneaky in ("../../etc/passwd", "/tmp/evil.md.j2", "short_letter.md.j2"):
        refused = server.post("/render", LETTER.read_bytes(), formats="txt", template=sneaky)
        assert refused.status_code == 400 and refused.json()["error"] == "usage"
    unknown = server.post("/render", LETTER.read_bytes(), formats="txt", template="no_such_template")
    assert unknown.status_code == 400 and unknown.json()["error"] == "template"


def test_a_plan_cannot_name_a_picture_outside_the_servers_picture_folders(server):
    plan = yaml.safe_load(PLAN.read_text())
    plan["person"]["photo"]["file"] = str(ROOT / "docs" / "images" / next(
        p.name for p in (ROOT / "docs" / "images").glob("*.png")))
    response = server.post("/render", json.dumps(plan, default=str), kind="application/json", formats="txt")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "person.photo.file"


def test_a_server_with_no_picture_folder_uses_the_photos_sent_and_leaves_out_the_rest(server, tmp_path,
                                                                                       cli_outputs):
    # the issue's own request: jordan-plan names 4 photos, and a server started with no picture folder has none
    bare = Server(tmp_path, "--workers", "1")
    plan = yaml.safe_load(PLAN.read_text())
    plan["person"]["photo"]["file"] = "/etc/hostname"  # outside any folder: never read, left out like the rest
    photos = [(name, (EXAMPLES / "pictures" / name).read_bytes()) for name in ("jordan.png", "sam.png", "lucy.png",
                                                                                 "denise.png")]
    try:
        answer = bare.post("/render", PLAN.read_bytes(), formats="pdf")
        outside = bare.post("/render", json.dumps(plan, default=str), kind="application/json", formats="txt")
        checked = bare.post("/check", PLAN.read_bytes())
        sent = bare.send("/render", PLAN.read_bytes(), photos, formats="pdf")  # the photos sent with the plan
        one = bare.send("/render", PLAN.read_bytes(), [("../../etc/jordan.png", photos[0][1])], formats="txt")
        damaged = bare.send("/render", PLAN.read_bytes(), [("jordan.png", b"not a picture")], formats="txt")
        badly_named = [bare.send("/render", PLAN.read_bytes(), [(name, photos[0][1])], formats="txt")
                       for name in ("hostname", "jordan.svg", "", "a" * 120 + ".png")]
        twice = bare.send("/render", PLAN.read_bytes(), [photos[0], photos[0]], formats="txt")
        stray = httpx.post(bare.url + "/render", files=[("input", ("p.yaml", PLAN.read_bytes())), ("other", ("x", b"x"))],
                           headers=bare.headers, timeout=60)
    finally:
        assert bare.stop()
    assert sent.status_code == 200 and sent.content == cli_outputs[(PLAN.name, "pdf")]  # the CLI's bytes
    assert "x-easyread-photos-left-out" not in sent.headers
    assert one.status_code == 200  # the sender's folders aside: it is jordan.png
    assert one.headers["x-easyread-photos-left-out"] == "contacts[0].photo, worker.photo, people_who_help[0].photo"
    assert damaged.status_code == 400
    (problem,) = damaged.json()["problems"]
    assert problem["field"] == "person.photo.file" and "'jordan.png' is damaged or not a picture" in problem["message"]
    assert "easyread-sent-" not in problem["message"] and "/tmp" not in problem["message"]  # no path of the worker's
    for refused in (*badly_named, twice, stray):
        assert refused.status_code == 400 and refused.json()["error"] == "usage", refused.text
    fields = "person.photo, contacts[0].photo, worker.photo, people_who_help[0].photo"
    assert answer.status_code == 200 and answer.headers["x-easyread-photos-left-out"] == fields
    assert outside.status_code == 200 and outside.headers["x-easyread-photos-left-out"] == fields
    assert checked.status_code == 200 and checked.headers["x-easyread-photos-left-out"] == fields
    served, made = tmp_path / "served.pdf", tmp_path / "cli.pdf"
    served.write_bytes(answer.content)
    made.write_bytes(cli_outputs[(PLAN.name, "pdf")])
    (_kinds, alts), (_cli_kinds, cli_alts) = pdf_structure(served), pdf_structure(made)
    # each photo is a symbol: a row whose symbol is the next line's picture shares its row (Denise's "Your mum")
    assert len(cli_alts) > 100 and len(cli_alts) - 2 <= len(alts) <= len(cli_alts)
    photos = {ref.alt for ref in compose(PLAN).symbols.values() if ref.source == "photo"}
    assert photos and not photos & set(alts) and photos <= set(cli_alts)  # no photo's description on a symbol
    assert alts.count("You") >= 2  # Jordan's photo on the cover and beside "About you": the picture of a person
    logged = [r for r in bare.logged() if r.get("path") == "/render"]
    assert [r.get("photos_left_out") for r in logged[:5]] == [4, 4, None, 3, None]
    assert not any(name in json.dumps(bare.logged()) for name in ("jordan.png", "Jordan"))  # no personal data


def test_a_server_with_a_picture_folder_refuses_a_picture_it_does_not_have(server):
    plan = yaml.safe_load(PLAN.read_text())
    plan["person"]["photo"]["file"] = "pictures/nobody.png"
    missing = server.post("/render", json.dumps(plan, default=str), kind="application/json", formats="txt")
    assert missing.status_code == 400
    (problem,) = missing.json()["problems"]
    assert problem["field"] == "person.photo.file"
    assert "'pictures/nobody.png' is not in this server's picture folder" in problem["message"]
    assert "easyread-service-" not in problem["message"] and str(EXAMPLES) not in problem["message"]
    text = yaml.safe_dump(plan).encode()
    sent = server.send("/render", text, [("nobody.png", (EXAMPLES / "pictures" / "sam.png").read_bytes())], formats="txt")
    assert sent.status_code == 200  # a picture sent with the plan is used before the server's folder is looked in


def test_check_judges_plain_text_and_inputs(server):
    dense = ("Notwithstanding the aforementioned considerations, the local authority has determined that the "
             "eligibility criteria pursuant to the regulations have not been satisfied in this instance.\n")
    report = server.post("/check", dense, kind="text/plain").json()
    assert report["refused"] is True and report["findings"]
    plain = server.post("/check", "You can ring Sam.\nSam will help you.\n", kind="text/plain").json()
    assert plain["refused"] is False and plain["sentences"] == 2
    latin1 = server.post("/check", "Caf\u00e9 on Monday.\n".encode("latin-1"), kind="text/plain")
    assert latin1.status_code == 400 and latin1.json()["problems"][0]["message"].startswith("is not UTF-8")
    plan = server.post("/check", PLAN.read_bytes(), profile="large-print").json()
    assert plan["refused"] is False and plan["profile"] == "large-print" and plan["sentences"] > 100


def test_schema_templates_symbols_and_version(server):
    assert server.get("/schema/hospital-passport").json() == json_schema("hospital-passport")
    missing = server.get("/schema/memo")
    assert missing.status_code == 404 and "hospital-passport" in missing.json()["message"]
    assert server.get("/symbols", words="Your doctor will ring you").json()["symbol"] == "doctor"
    assert server.get("/symbols", words="qwzx").json()["symbol"] is None
    every = server.get("/symbols").json()
    assert {"name": "bus", "alt": "A bus"}.items() <= next(s for s in every if s["name"] == "bus").items()


def test_the_openapi_document_is_valid_and_describes_the_inputs(server):
    document = server.get("/openapi.json").json()
    validate(document)
    assert {"/render", "/check", "/schema/{kind}", "/templates", "/symbols", "/healthz", "/version"} <= set(
        document["paths"])
    body = document["paths"]["/render"]["post"]["requestBody"]["content"]
    assert body["application/yaml"]["schema"] == {"$ref": "#/components/schemas/Input"}
    schemas = document["components"]["schemas"]
    assert {"Plan", "Review", "Letter", "OnePageProfile", "HospitalPassport", "Input"} <= set(schemas)
    responses = document["paths"]["/render"]["post"]["responses"]
    assert {"400", "413", "415", "422"} <= set(responses)


def test_twenty_requests_at_once_mixed_formats_with_audio_all_as_the_cli(server, cli_outputs):
    asks = [(PLAN, "pdf"), (LETTER, "docx"), (SHORT, "mp3"), (LETTER, "html"), (PLAN, "txt")] * 4

    def ask(item):
        example, fmt = item
        response = server.post("/render", example.read_bytes(), formats=fmt)
        return item, response.status_code, response.content

    with ThreadPoolExecutor(max_workers=20) as threads:
        results = list(threads.map(ask, asks))
    assert [status for _, status, _ in results] == [200] * 20
    for (example, fmt), _, content in results:
        assert content == cli_outputs[(example.name, fmt)], (example.name, fmt)


def test_audio_never_takes_every_worker(server):
    """With 2 workers, audio renders use at most 1: a PDF asked for behind 3 of them is made at once."""
    finished: dict[str, float] = {}
    started = time.monotonic()

    def ask(name: str, fmt: str) -> None:
        assert server.post("/render", PLAN.read_bytes(), formats=fmt).status_code == 200
        finished[name] = time.monotonic() - started

    threads = [threading.Thread(target=ask, args=(f"mp3-{n}", "mp3")) for n in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    ask("pdf", "pdf")
    for thread in threads:
        thread.join()
    audio = sorted(finished[f"mp3-{n}"] for n in range(3))
    assert finished["pdf"] < audio[1], finished  # not behind the audio queue


def test_the_log_is_json_lines_that_never_hold_the_persons_text(server):
    server.post("/render", PLAN.read_text().replace("kind: plan", "kind: plan\ncolour: Jordan Reid", 1))  # an error
    server.post("/render", (EXAMPLES / "too-dense-plan.yaml").read_bytes(), formats="txt")  # a refusal
    server.post("/check", "Jordan Reid lives at Flat 2.\n", kind="text/plain")
    records = server.logged()
    requests = [r for r in records if r["event"] == "request"]
    assert len(requests) >= 10 and all({"id", "method", "path", "status", "ms"} <= set(r) for r in requests)
    assert {r["status"] for r in requests} >= {200, 400, 401, 413, 415, 422}
    log = server.log.read_text()
    for example in (PLAN, LETTER, SHORT, EXAMPLES / "too-dense-plan.yaml"):
        data = yaml.safe_load(example.read_text())
        words = {data["person"]["name"], *data["person"]["name"].split(), data["person"].get("known_as") or ""}
        texts = set()

        def strings(value):
            if isinstance(value, dict):
                for item in value.values():
                    strings(item)
            elif isinstance(value, list):
                for item in value:
                    strings(item)
            elif isinstance(value, str) and len(value) >= 12:
                texts.add(value)

        strings(data)
        assert [word for word in words if len(word) > 2 and word in log] == []
        assert [text for text in texts if text in log] == []


def test_no_outbound_connection_is_ever_made():
    code = ("import socket\nfrom easyread.service import forbid_outbound\nforbid_outbound()\n"
            "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\nexcept PermissionError as e:\n"
            "    print('refused', e)\n"
            "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept ConnectionRefusedError:\n"
            "    print('local allowed')\n")
    said = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "refused easyread serve makes no outbound connections (refused: 192.0.2.1)" in said
    assert "local allowed" in said


def test_a_render_past_the_time_limit_is_504_and_a_stop_finishes_renders_in_hand(tmp_path):
    quick = Server(tmp_path, "--workers", "1", "--picture-folder", str(EXAMPLES), "--time-limit", "0.5")
    try:
        late = quick.post("/render", PLAN.read_bytes(), formats="mp3")
        assert late.status_code == 504 and late.json()["error"] == "time"
        assert quick.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200  # the worker lives on
    finally:
        assert quick.stop()
    patient = Server(tmp_path, "--workers", "1", "--picture-folder", str(EXAMPLES))
    answer: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: answer.append(patient.post("/render", SHORT.read_bytes(),
                                                                         formats="mp3")))
    asking.start()
    time.sleep(1.0)  # the render is in hand
    assert patient.stop()
    asking.join()
    assert answer[0].status_code == 200 and answer[0].headers["content-type"] == "audio/mpeg"


def test_when_every_worker_is_busy_and_none_may_wait_it_is_503_with_retry_after(tmp_path):
    busy = Server(tmp_path, "--workers", "1", "--max-waiting", "0", "--picture-folder", str(EXAMPLES))
    try:
        answers: list[httpx.Response] = []
        slow = threading.Thread(target=lambda: answers.append(busy.post("/render", PLAN.read_bytes(), formats="mp3")))
        slow.start()
        time.sleep(1.0)  # the one worker is speaking
        turned_away = busy.post("/render", SHORT.read_bytes(), formats="txt")
        assert turned_away.status_code == 503 and turned_away.headers["retry-after"] == "5"
        assert turned_away.json()["error"] == "busy"
        slow.join()
        assert answers[0].status_code == 200
        assert busy.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200  # free again
    finally:
        assert busy.stop()


def test_serve_says_what_is_wrong_with_its_options(tmp_path):
    for options, said in ((["--templates", str(tmp_path / "none")], "is not a folder"),
                          (["--workers", "0"], "must be more than 0")):
        result = run_cli("serve", "--port", str(free_port()), *options)
        assert result.returncode == 2 and said in result.stderr


def test_read_along_false_gives_an_epub_without_its_recording(server):
    answer = server.post("/render", SHORT.read_bytes(), formats="epub", read_along="false")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/epub+zip"
    assert "x-easyread-voice" not in answer.headers  # nothing was spoken
    with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
        names = book.namelist()
    assert "EPUB/package.opf" in names and not [n for n in names if n.endswith((".smil", ".mp3"))]


def test_what_a_format_did_in_place_of_what_was_asked_is_said_in_a_header(tmp_path):
    house = tmp_path / "house.yaml"
    house.write_text("name: Northmoor Council\nfont: Made Up Sans\n")
    running = Server(tmp_path, "--house-style", str(house))
    try:
        answer = running.post("/render", SHORT.read_bytes(), formats="pdf")
        assert answer.status_code == 200 and answer.content[:5] == b"%PDF-"
        assert answer.headers["X-Easyread-Notes"] == (
            "pdf: the house font Made Up Sans is not installed here (or its licence does not let a document embed it), "
            "so the PDF is in Atkinson Hyperlegible; give its files in the house style's font_files, or install it, "
            "to embed it")
        assert "X-Easyread-Notes" not in running.post("/render", SHORT.read_bytes(), formats="txt").headers
    finally:
        assert running.stop()
