"""How fast `easyread serve` answers: python bench/service.py [--requests 60] [--clients 4] [--write]

A visual render (docx + pdf + html) of the review letter, posted again and again by `--clients`
threads to a server with 2 render workers on this machine: requests a second, p50 and p95
latency, and each worker's peak memory (its resident high-water mark, read from /proc). In the
same run, the CLI's batch renders the same number of copies with 2 workers, for comparison.
`--write` saves the table in bench/SERVICE.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "examples" / "jordan-review-letter.yaml"
FORMATS = "docx,pdf,html"
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> dict[int, int]:
    """Every process below `pid`: {pid: parent pid}."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(next(line.split()[1] for line in status.splitlines()
                                                if line.startswith("PPid:")))
    below, found = {pid}, {}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in below and child not in below:
                below.add(child)
                found[child] = parent
                changed = True
    return found


def peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def serve_and_measure(requests: int, clients: int) -> dict[str, float | list[float]]:
    """Requests a second, latencies and the workers' peak memory, from a server started here."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "easyread.cli", "serve", "--port", str(port), "--workers",
                               str(WORKERS), "--picture-folder", str(ROOT / "examples")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        body = LETTER.read_bytes()

        def post(_: int) -> float:
            started = time.perf_counter()
            response = httpx.post(url + "/render", params={"formats": FORMATS}, content=body, timeout=120,
                                  headers={"Content-Type": "application/yaml"})
            response.raise_for_status()
            return time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=clients) as threads:
            list(threads.map(post, range(2 * WORKERS)))  # every worker warm
            started = time.perf_counter()
            latencies = sorted(threads.map(post, range(requests)))
            wall = time.perf_counter() - started
        below = descendants(server.pid)
        workers = [pid for pid, parent in below.items() if parent != server.pid and parent in below]
        memory = sorted(peak_mb(pid) for pid in workers)
        return {"rps": requests / wall, "p50": statistics.median(latencies),
                "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)], "workers_mb": memory,
                "server_mb": peak_mb(server.pid)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)


def batch(copies: int) -> float:
    """The CLI's batch: `copies` copies of the letter with 2 workers; documents a second."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        for number in range(copies):
            shutil.copy(LETTER, inputs / f"letter-{number:03d}.yaml")
        shutil.copytree(ROOT / "examples" / "pictures", inputs / "pictures")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "easyread.cli", "render", str(inputs), "--to", FORMATS, "-j",
                        str(WORKERS), "-o", str(Path(folder) / "out")], check=True, capture_output=True)
        return copies / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    served = serve_and_measure(args.requests, args.clients)
    cli = batch(args.requests)
    workers = ", ".join(f"{mb:.0f}" for mb in served["workers_mb"])  # type: ignore[union-attr]
    table = "\n".join([
        "# The HTTP service",
        "",
        f"{time.strftime('%d %B %Y')}; {os.uname().machine}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}. Produced by `bench/service.py`.",
        "",
        f"A visual render ({FORMATS.replace(',', ' + ')}) of jordan-review-letter, {args.requests} requests from "
        f"{args.clients} clients at once, {WORKERS} render workers (after {2 * WORKERS} warm-up requests):",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests a second | {served['rps']:.2f} |",
        f"| latency p50 | {served['p50']:.2f} s |",
        f"| latency p95 | {served['p95']:.2f} s |",
        f"| peak memory of each worker | {workers} MB |",
        f"| peak memory of the server process | {served['server_mb']:.0f} MB |",
        f"| the CLI's batch, same documents, `-j {WORKERS}`, in the same run | {cli:.2f} documents a second |",
        "",
    ])
    print(table)
    if args.write:
        (ROOT / "bench" / "SERVICE.md").write_text(table)


if __name__ == "__main__":
    main()
