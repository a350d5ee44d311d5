"""easyread serve under faults, load and hostile clients: one test for each defect issue 36 found.

Each starts a real server (tests/test_service.py's Server) with its temporary folder inside the
test's own, so that what a render leaves on disk can be looked for afterwards.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from bench.service import children, render_workers, using_cpu
from tests.conftest import EXAMPLES, run_cli
from tests.test_service import PLAN, SHORT, Server, free_port

pytestmark = pytest.mark.slow

PHOTO = (EXAMPLES / "pictures" / "jordan.png").read_bytes()
PHOTOS = [(name, (EXAMPLES / "pictures" / name).read_bytes()) for name in ("jordan.png", "sam.png", "lucy.png",
                                                                           "denise.png")]


def descendants(pid: int) -> list[int]:
    """Every process below `pid`."""
    found, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def workers(server: Server) -> list[int]:
    """The server's render workers."""
    return render_workers(server.process.pid)


def ready(server: Server) -> None:
    """Wait until /readyz says a worker can take work."""
    deadline = time.monotonic() + 60
    while httpx.get(server.url + "/readyz").status_code != 200:
        assert time.monotonic() < deadline, "no worker became ready"
        time.sleep(0.1)


def holding(folder: Path, data: bytes) -> list[Path]:
    """Files under `folder` whose bytes contain `data`."""
    return [path for path in folder.rglob("*") if path.is_file() and data in path.read_bytes()]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """The servers' temporary folder, where their render workers write."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def start(folder: Path, scratch: Path, *options: str, **kwargs) -> Server:
    return Server(folder, *options, environment={"TMPDIR": str(scratch)}, **kwargs)


def test_a_worker_killed_mid_render_leaves_no_photo_and_fails_only_its_request(tmp_path, scratch):
    """Defects 1 and 2: the person's photos and scratch files are gone after kill -9, whatever was running."""
    server = start(tmp_path, scratch, "--workers", "1")
    try:
        answers: list[httpx.Response] = []
        asking = threading.Thread(target=lambda: answers.append(
            server.send("/render", PLAN.read_bytes(), PHOTOS, formats="pdf,docx")))
        asking.start()
        deadline = time.monotonic() + 30
        while not holding(scratch, PHOTO) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert holding(scratch, PHOTO), "the render never wrote the photo"
        [worker] = workers(server)
        os.kill(worker, signal.SIGKILL)
        asking.join()
        assert answers[0].status_code == 500 and answers[0].json()["error"] == "worker"
        time.sleep(3)  # the second sweep of the request's folder
        assert holding(scratch, PHOTO) == []
        assert server.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200  # a fresh worker
    finally:
        assert server.stop()
    assert list(scratch.iterdir()) == []  # and nothing at all once it has stopped (no pymp-* folder either)


def test_an_idle_worker_that_dies_is_replaced_before_the_next_request(tmp_path):
    """Defect 2: the death of an idle worker (the out-of-memory killer) fails no request."""
    server = Server(tmp_path, "--workers", "2")
    try:
        assert server.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200
        for pid in workers(server):
            os.kill(pid, signal.SIGKILL)
        time.sleep(1)
        assert [server.post("/render", SHORT.read_bytes(), formats="txt").status_code for _ in range(4)] == [200] * 4
    finally:
        assert server.stop()


def test_a_server_killed_outright_has_its_scratch_folder_removed_by_the_next(tmp_path, scratch):
    server = start(tmp_path, scratch, "--workers", "1")

    def ask() -> None:
        with pytest.raises(httpx.TransportError):  # the server is gone before it answers
            server.send("/render", PLAN.read_bytes(), PHOTOS, formats="pdf")

    asking = threading.Thread(target=ask)
    asking.start()
    deadline = time.monotonic() + 30
    while not holding(scratch, PHOTO) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in [server.process.pid, *descendants(server.process.pid)]:
        os.kill(pid, signal.SIGKILL)
    server.process.wait()
    asking.join()
    assert holding(scratch, PHOTO)  # stranded, as after a power cut
    later = start(tmp_path, scratch, "--workers", "1")
    try:
        assert holding(scratch, PHOTO) == []
    finally:
        assert later.stop()


def test_kill_9_under_twelve_concurrent_renders_fails_exactly_one(tmp_path, scratch):
    """Defect 2, as the acceptance says: 12 plan PDFs in flight on 2 workers, one worker killed."""
    server = start(tmp_path, scratch, "--workers", "2", "--picture-folder", str(EXAMPLES))
    try:
        with ThreadPoolExecutor(max_workers=12) as threads:
            asks = [threads.submit(server.post, "/render", PLAN.read_bytes(), formats="pdf") for _ in range(12)]
            deadline = time.monotonic() + 30
            while len(working := using_cpu(workers(server))) < 2 and time.monotonic() < deadline:
                pass
            os.kill(working[0], signal.SIGKILL)
            statuses = sorted(ask.result().status_code for ask in asks)
        assert statuses == [200] * 11 + [500], statuses
        time.sleep(3)
        assert holding(scratch, b"%PDF-") == [] or all("pymp" in str(p) for p in holding(scratch, b"%PDF-"))
    finally:
        assert server.stop()


def test_slow_headers_and_slow_bodies_are_cut_off(tmp_path):
    """Defect 3: a byte every so often must not hold a connection for ever."""
    server = Server(tmp_path, "--header-timeout", "2", "--body-timeout", "2")
    try:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.port)) as slow:
            slow.sendall(b"GET /version HTTP/1.1\r\n")
            closed = False
            for _ in range(20):
                try:
                    slow.sendall(b"X")
                    slow.settimeout(0.5)
                    closed = slow.recv(100) == b""
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
                if closed:
                    break
        assert closed and time.monotonic() - started < 5
        with socket.create_connection(("127.0.0.1", server.port)) as slow:
            slow.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                         b"Authorization: Bearer " + server.headers["Authorization"].split()[1].encode() +
                         b"\r\nContent-Length: 1000\r\n\r\nYou")
            slow.settimeout(10)
            began = time.monotonic()
            said = b""
            while b'"error"' not in said and (piece := slow.recv(1000)):
                said += piece
        assert said.startswith(b"HTTP/1.1 408") and b'"error":"slow"' in said and time.monotonic() - began < 5
    finally:
        assert server.stop()


def test_audio_has_its_own_queue_and_a_full_queue_is_503_at_once(tmp_path):
    """Defect 4: with room for 1 waiting, 5 MP3s asked for do not turn a PDF away; an answer 503 comes at once."""
    server = Server(tmp_path, "--workers", "2", "--max-waiting", "1", "--picture-folder", str(EXAMPLES))
    try:
        with ThreadPoolExecutor(max_workers=6) as threads:
            audio = [threads.submit(server.post, "/render", SHORT.read_bytes(), formats="mp3") for _ in range(5)]
            time.sleep(1.0)
            began = time.monotonic()
            pdf = server.post("/render", SHORT.read_bytes(), formats="pdf")
            statuses = sorted(ask.result().status_code for ask in audio)
        assert pdf.status_code == 200
        assert statuses.count(503) >= 2 and set(statuses) == {200, 503}, statuses  # 1 speaking, 1 waiting
        turned = [a.result() for a in audio if a.result().status_code == 503]
        assert all(t.headers["retry-after"] == "5" and t.json()["error"] == "busy" for t in turned)
        assert all(t.elapsed.total_seconds() < 0.5 for t in turned), [t.elapsed for t in turned]
        assert time.monotonic() - began < 15
    finally:
        assert server.stop()


def test_a_client_that_leaves_stops_its_render_and_is_not_a_server_error(tmp_path):
    """Defect 5: the render stops when its client goes, and neither that nor an abandoned upload is a 500."""
    server = Server(tmp_path, "--workers", "1", "--picture-folder", str(EXAMPLES))
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(server.url + "/render", params={"formats": "mp3"}, content=PLAN.read_bytes(), timeout=1.5,
                       headers={**server.headers, "Content-Type": "application/yaml"})
        with socket.create_connection(("127.0.0.1", server.port)) as leaving:
            leaving.sendall(b"POST /render HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\n"
                            b"Authorization: " + server.headers["Authorization"].encode() +
                            b"\r\nContent-Length: 100000\r\n\r\nkind: plan\n")
        time.sleep(2)
        began = time.monotonic()
        assert server.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200
        assert time.monotonic() - began < 10  # not behind the abandoned MP3
        metrics = server.get("/metrics").text
        assert 'easyread_worker_restarts_total{reason="client-gone"} 1.0' in metrics
    finally:
        assert server.stop()
    records = server.logged()
    gone = [r for r in records if r["event"] == "gone"]
    assert len(gone) == 2 and {r["status"] for r in gone} == {499}
    assert not [r for r in records if r.get("status") == 500 or r["event"] == "failed"]


def test_another_host_or_web_page_is_refused_and_beyond_loopback_a_token_is_needed(tmp_path):
    """Defect 6: DNS rebinding (Host: evil.example) and a cross-site form are refused."""
    server = Server(tmp_path, "--allowed-host", "easyread.internal", "--allowed-origin", "https://case.example.org")
    try:
        rebound = httpx.get(server.url + "/version", headers={**server.headers, "Host": "evil.example"})
        assert rebound.status_code == 400 and rebound.json()["error"] == "host"
        assert httpx.get(server.url + "/version", headers={**server.headers, "Host": "easyread.internal:8000"}
                         ).status_code == 200
        cross = httpx.post(server.url + "/render", files={"input": ("p.yaml", SHORT.read_bytes())},
                           headers={**server.headers, "Origin": "https://evil.example"})
        assert cross.status_code == 403 and cross.json()["error"] == "origin"
        allowed = server.post("/check", "You get help.\n", kind="text/plain")
        assert allowed.status_code == 200
        assert httpx.post(server.url + "/check", content="You get help.\n", headers={
            **server.headers, "Content-Type": "text/plain", "Origin": "https://case.example.org"}).status_code == 200
    finally:
        assert server.stop()
    env = {key: value for key, value in os.environ.items() if key != "EASYREAD_TOKEN"}
    open_to_all = run_cli("serve", "--host", "0.0.0.0", "--port", str(free_port()), env=env)
    assert open_to_all.returncode == 2 and "needs a token: set EASYREAD_TOKEN" in open_to_all.stderr


def test_every_error_has_one_shape_and_422_is_only_a_refusal(tmp_path):
    """Defect 7: FastAPI's own 422 and 405 answers become easyread's error shape."""
    server = Server(tmp_path)
    try:
        for params in ({"profile": "easyread"}, {"read_along": "maybe"}):
            answer = server.post("/render", SHORT.read_bytes(), **params)
            assert answer.status_code == 400 and answer.json()["error"] == "usage", answer.text
            assert list(params)[0] in answer.json()["message"]
        method = httpx.get(server.url + "/render", headers=server.headers)
        assert method.status_code == 405 and method.json()["error"] == "method" and method.headers["allow"] == "POST"
        nowhere = server.get("/nowhere")
        assert nowhere.status_code == 404 and set(nowhere.json()) == {"error", "message"}
    finally:
        assert server.stop()


def test_the_time_limit_is_kept_from_the_start_of_the_render(tmp_path):
    """Defect 8: a 2.5 s limit gives its 504 on time even while the PDF engine compiles (no Python runs there
    to notice a signal), not when the compile ends."""
    plan = yaml.safe_load(PLAN.read_text())
    plan["about_me"] = [("I like to talk about trains, buses and the canal boats I see on my walks. " * 20).strip()
                        for _ in range(1000)]  # about 2 s to compose, and 1 s more in the PDF engine
    server = Server(tmp_path, "--workers", "1", "--time-limit", "2.5", "--max-bytes", "3000000",
                    "--picture-folder", str(EXAMPLES))
    try:
        ready(server)  # the worker has started (its word tables and voice loaded): the limit is for the render
        began = time.monotonic()
        late = server.post("/render", yaml.safe_dump(plan), formats="pdf")
        took = time.monotonic() - began
        assert late.status_code == 504 and late.json()["error"] == "time"
        assert 2.5 < took < 3.5, took  # the body's upload and reading included
        assert server.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200
    finally:
        assert server.stop()


def test_a_damaged_picture_is_named_as_sent_never_by_the_servers_path(tmp_path):
    """Defect 9: the message names the picture as the plan names it (pictures/jordan.png), never where it is."""
    photos = tmp_path / "photos"
    (photos / "pictures").mkdir(parents=True)
    for name in ("lucy.png", "denise.png"):
        (photos / "pictures" / name).write_bytes((EXAMPLES / "pictures" / name).read_bytes())
    (photos / "pictures" / "jordan.png").write_bytes(b"\x89PNG\r\n\x1a\n not a picture at all")  # damaged
    (photos / "pictures" / "sam.png").mkdir()  # not a file at all
    server = Server(tmp_path, "--picture-folder", str(photos))
    try:
        answers = [server.post("/render", PLAN.read_bytes(), formats="pdf"),
                   server.send("/render", PLAN.read_bytes(), [("jordan.png", b"\x89PNG\r\n\x1a\n damaged")],
                               formats="pdf")]
        for answer in answers:
            assert answer.status_code == 400, answer.text
            said = " ".join(p["message"] for p in answer.json()["problems"])
            assert "jordan.png" in said and str(tmp_path) not in said and "/tmp" not in said, said
        assert "'pictures/sam.png' is a folder" in answers[0].text
    finally:
        assert server.stop()


def test_a_worker_that_needs_too_much_memory_fails_alone(tmp_path):
    """Defect 10: a plan that would speak for hours is bounded by the worker's memory limit and time limit."""
    plan = yaml.safe_load(PLAN.read_text())
    plan["about_me"] = [("I like to talk about trains, buses and the canal boats I see on my walks. " * 40).strip()
                        for _ in range(400)]
    server = Server(tmp_path, "--workers", "1", "--worker-memory", "400", "--time-limit", "90",
                    "--max-bytes", "3000000", "--picture-folder", str(EXAMPLES))
    try:
        began = time.monotonic()
        answer = server.post("/render", yaml.safe_dump(plan), formats="wav")
        assert answer.status_code in (500, 504) and answer.json()["error"] in ("memory", "worker", "time")
        assert time.monotonic() - began < 60  # the memory limit, well before the time limit
        after = server.post("/render", SHORT.read_bytes(), formats="txt")
        assert after.status_code == 200, after.text
    finally:
        assert server.stop()


def test_live_ready_and_metrics(tmp_path):
    server = Server(tmp_path, "--workers", "1", "--recycle-after", "2")
    try:
        assert httpx.get(server.url + "/livez").json() == {"status": "ok"}
        ready(server)
        assert httpx.get(server.url + "/readyz").json() == {"status": "ready"}  # no token needed
        first = workers(server)
        for _ in range(3):
            assert server.post("/render", SHORT.read_bytes(), formats="txt").status_code == 200
        assert server.post("/render", (EXAMPLES / "too-dense-plan.yaml").read_bytes(), formats="txt"
                           ).status_code == 422
        assert workers(server) != first  # recycled after 2 renders
        assert httpx.get(server.url + "/metrics").status_code == 401  # the metrics need the token
        metrics = server.get("/metrics").text
        assert 'easyread_requests_total{route="/render",status="200"} 3.0' in metrics
        assert "easyread_refusals_total 1.0" in metrics
        assert 'easyread_waiting{kind="audio"} 0.0' in metrics
        assert 'easyread_request_seconds_count{route="/render"} 4.0' in metrics
        assert "Jordan" not in metrics and "Dylan" not in metrics
    finally:
        assert server.stop()
