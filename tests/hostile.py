"""Running easyread on hostile input the way an attacker would meet it: a real process, with its
memory and time bounded, so a bomb fails the test instead of the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BYTES = 1024**3  # 1 GB of address space
CPU_SECONDS = 60


def _bounded(cpu_seconds: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    return limit


def run_bounded(*args: str | Path, stdin: str | bytes | None = None, cwd: Path | None = None,
                env: dict[str, str] | None = None, cpu_seconds: int = CPU_SECONDS) -> subprocess.CompletedProcess[str]:
    """Run `easyread ARGS` in a process limited to 1 GB and `cpu_seconds` of CPU (killed past 90 s of wall time).

    A limit of CPU time, not of the clock, so a test fails on work that explodes, never on a busy machine:
    past it the system stops the process (SIGXCPU), which no clean exit code can hide."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run([sys.executable, "-m", "easyread.cli", *map(str, args)], input=data, capture_output=True,
                          cwd=cwd or ROOT, timeout=90, preexec_fn=_bounded(cpu_seconds),
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2 with a clear error naming the problem: never 1 ("refused"), 3 (a bug), a crash or a traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("easyread: error:")]
    assert errors, result.stderr[-2000:]
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr[-2000:])
