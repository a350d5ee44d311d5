"""How `easyread serve` holds up: python bench/service.py [--quick] [--write]

In one run, on this machine, with a server of 2 render workers:
- the rate the same 2 workers could reach with no HTTP at all (2 / the in-process render time);
- for the review letter and jordan-plan as PDF, at 1, 4, 16 and 64 clients at once for `--seconds`
  each: accepted requests a second, their p95 latency, how many were turned away (503) and how fast
  that answer came;
- recovery from `kill -9` of a busy worker under 12 concurrent plan PDFs (how many requests failed);
- 30 slow clients sending their headers a byte at a time: how long until the server closed them,
  and whether a normal request was answered meanwhile.
`--write` saves the tables in bench/SERVICE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LETTER = EXAMPLES / "jordan-review-letter.yaml"
PLAN = EXAMPLES / "jordan-plan.yaml"
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def render_workers(server_pid: int) -> list[int]:
    """A server's render workers: the children of multiprocessing's fork server, itself a child of the server."""
    for pid in children(server_pid):
        try:
            if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return children(pid)
        except OSError:
            continue
    return []


def using_cpu(pids: list[int]) -> list[int]:
    """Those of `pids` using the processor now (a render in hand), by their CPU time over a tenth of a second."""
    def ticks(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            return 0
    before = {pid: ticks(pid) for pid in pids}
    time.sleep(0.1)
    return [pid for pid, was in before.items() if ticks(pid) > was]


class Server:
    """`easyread serve` with 2 workers and the examples' photos, started and stopped here."""

    def __init__(self, *options: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="easyread-bench-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "easyread.cli", "serve", "--port", str(self.port), "--workers", str(WORKERS),
             "--picture-folder", str(EXAMPLES), *options], stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)

    def workers(self) -> list[int]:
        return render_workers(self.process.pid)

    def post(self, body: bytes, client: httpx.Client | None = None, formats: str = "pdf") -> tuple[int, float]:
        started = time.perf_counter()
        sender = client or httpx
        answer = sender.post(self.url + "/render", params={"formats": formats}, content=body, timeout=300,
                             headers={"Content-Type": "application/yaml"})
        return answer.status_code, time.perf_counter() - started

    def busy_answers_ms(self) -> list[float]:
        """How long the server took to answer each 503 so far, from its log (its own time, not the client's)."""
        records = [json.loads(line) for line in Path(self.log.name).read_text().splitlines() if line.startswith("{")]
        return [r["ms"] for r in records if r.get("status") == 503]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=300)
        os.unlink(self.log.name)


def in_process_seconds(example: Path, renders: int) -> float:
    """Seconds for one PDF render with no HTTP: the median of `renders`, after one to warm up."""
    code = ("import sys, time, statistics\nfrom easyread.pipeline import Renderer\n"
            f"r = Renderer(picture_folders=[{str(EXAMPLES)!r}])\nsrc = open({str(example)!r}, 'rb').read()\n"
            "r.render_bytes(src, formats=['pdf'])\nt = []\n"
            f"for _ in range({renders}):\n    s = time.perf_counter(); r.render_bytes(src, formats=['pdf'])\n"
            "    t.append(time.perf_counter() - s)\nprint(statistics.median(t))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=EXAMPLES)
    return float(done.stdout.strip())


MIXED = ("pdf", "docx", "html", "mp3")  # a client asks for each in turn: audio among documents


def load(server: Server, example: Path, clients: int, seconds: float,
         formats: tuple[str, ...] = ("pdf",)) -> dict[str, float]:
    """`clients` threads posting the example for `seconds`: accepted a second, p95, 503s and their latency."""
    body = example.read_bytes()
    accepted: list[float] = []
    busy: list[float] = []
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        turn = number
        with httpx.Client() as session:
            while time.monotonic() < stop:
                turn += 1
                status, took = server.post(body, session, formats[turn % len(formats)])
                (accepted if status == 200 else busy if status == 503 else []).append(took)
                if status == 503:
                    time.sleep(0.2)  # as a client honouring Retry-After would, a little

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as threads:
        list(threads.map(client, range(clients)))
    wall = time.monotonic() - started
    accepted.sort()
    return {"rps": len(accepted) / wall, "p95": accepted[max(0, round(0.95 * len(accepted)) - 1)] if accepted else 0,
            "accepted": len(accepted), "busy": len(busy), "busy_max": max(busy, default=0.0)}


PROBE = """
import http.client, sys, time
port, body, count = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
times = []
for _ in range(count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("POST", "/render?formats=pdf", body, {"Content-Type": "application/yaml"})
    answer = connection.getresponse()
    answer.read()
    if answer.status == 503:
        times.append(time.perf_counter() - started)
    connection.close()
    time.sleep(0.2)
print(" ".join(f"{t:.4f}" for t in times))
"""


def probe_busy(server: Server, example: Path, clients: int, seconds: float) -> list[float]:
    """While `clients` threads keep the server over capacity, a separate process (no threads, no GIL shared with
    them) asks now and then: how long its 503s took, as a client on another machine would see them."""
    probe = subprocess.Popen([sys.executable, "-c", PROBE, str(server.port), str(example), "30"],
                             stdout=subprocess.PIPE, text=True)
    load(server, example, clients, seconds)
    said = probe.communicate(timeout=120)[0].split()
    return sorted(float(t) for t in said)


def kill_under_load(server: Server) -> list[int]:
    """12 plan PDFs at once; a busy worker killed; the statuses."""
    body = PLAN.read_bytes()
    with ThreadPoolExecutor(max_workers=12) as threads:
        asks = [threads.submit(server.post, body) for _ in range(12)]
        deadline = time.monotonic() + 30
        while not (working := using_cpu(server.workers())) and time.monotonic() < deadline:
            pass
        os.kill(working[0], signal.SIGKILL)
        return sorted(ask.result()[0] for ask in asks)


def slow_clients(server: Server, count: int = 30) -> tuple[float, float]:
    """`count` connections sending a header byte every second: the longest any was held, and the time a normal
    request took meanwhile."""
    held: list[float] = []

    def slow() -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.port)) as connection:
            connection.sendall(b"GET /version HTTP/1.1\r\n")
            connection.settimeout(1.0)
            for _ in range(120):
                try:
                    connection.sendall(b"X")
                    if connection.recv(100) == b"":
                        break
                except TimeoutError:
                    continue
                except OSError:
                    break
        held.append(time.monotonic() - started)

    threads = [threading.Thread(target=slow) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    _, normal = server.post(LETTER.read_bytes())
    for thread in threads:
        thread.join()
    return max(held), normal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each load lasts (default 20)")
    parser.add_argument("--quick", action="store_true", help="5 s a load, and concurrency 1, 4 and 16 only")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    levels = (1, 4, 16) if args.quick else (1, 4, 16, 64)
    ideal = {example: WORKERS / in_process_seconds(example, 10) for example in (LETTER, PLAN)}
    server = Server()
    rows = []
    try:
        for example in (LETTER, PLAN):
            for clients in levels:
                answered = len(server.busy_answers_ms())
                measured = load(server, example, clients, seconds)
                busy_ms = sorted(server.busy_answers_ms()[answered:])
                measured["server_busy_max_ms"] = busy_ms[-1] if busy_ms else 0.0
                rows.append((example.stem, clients, measured))
                print(example.stem, clients, measured, flush=True)
        probed = probe_busy(server, LETTER, levels[-1], 10)
        mixed = []
        for clients in levels[1:]:
            measured = load(server, LETTER, clients, seconds, MIXED)
            mixed.append((clients, measured))
            print("mixed", clients, measured, flush=True)
        statuses = kill_under_load(server)
        held, normal = slow_clients(server)
    finally:
        server.stop()
    lines = [
        "# The HTTP service",
        "",
        f"{time.strftime('%d %B %Y')}; {os.uname().machine}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}. Produced by `bench/service.py`: a server with {WORKERS} render workers and "
        "its default limits (`--queue-seconds 30`, `--max-waiting 32`), PDFs of the review letter and of "
        f"jordan-plan, each load lasting {seconds:g} s, the clients on the same machine.",
        "",
        "| document | clients at once | accepted a second | in-process rate of the same workers | share | "
        "p95 of accepted | turned away (503) | slowest 503, at the client | slowest 503, in the server |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stem, clients, m in rows:
        rate = ideal[LETTER if stem == LETTER.stem else PLAN]
        lines.append(f"| {stem} | {clients} | {m['rps']:.2f} | {rate:.2f} | {m['rps'] / rate:.0%} | "
                     f"{m['p95']:.2f} s | {m['busy']:.0f} of {m['busy'] + m['accepted']:.0f} | "
                     f"{m['busy_max'] * 1000:.0f} ms | {m['server_busy_max_ms']:.0f} ms |")
    if probed:
        lines += ["", f"A separate client process asking for the letter now and then while {levels[-1]} clients keep "
                      f"the server over capacity: {len(probed)} answers 503, p95 "
                      f"{probed[max(0, round(0.95 * len(probed)) - 1)] * 1000:.0f} ms, slowest {probed[-1] * 1000:.0f} ms."]
    lines += [
        "",
        f"The review letter in turn as {', '.join(MIXED)} (MP3 among documents; audio may use 1 of the 2 workers):",
        "",
        "| clients at once | accepted a second | p95 of accepted | turned away (503) |",
        "|---|---|---|---|",
        *[f"| {clients} | {m['rps']:.2f} | {m['p95']:.2f} s | {m['busy']:.0f} of {m['busy'] + m['accepted']:.0f} |"
          for clients, m in mixed],
        "",
        f"- `kill -9` of a busy worker under 12 concurrent jordan-plan PDFs: {statuses.count(500)} request failed "
        f"(500), {statuses.count(200)} answered 200.",
        f"- 30 clients sending their headers a byte a second: the longest held {held:.1f} s (`--header-timeout "
        f"10`); a normal letter PDF asked for meanwhile took {normal:.2f} s.",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    if args.write:
        (ROOT / "bench" / "SERVICE.md").write_text(table)


if __name__ == "__main__":
    main()
