"""A batch on Dask against the local batch: python bench/cluster.py [--letters 500] [--write]

The same letters (rows of a CSV merged over the invitation base, as PDFs) rendered by the local
batch with 2 worker processes, and on a Dask LocalCluster of 1, 2 and 4 worker processes (one
thread each), in one run on this machine: documents a second. `--write` saves the table in
bench/CLUSTER.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "examples" / "letters" / "invitation-base.yaml"


def main() -> None:
    from distributed import LocalCluster

    from easyread.batch import jobs_from, render_many

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    names = ["Amira Hassan", "Bernard Cole", "Chloe Dunn", "Dafydd Price", "Esme Ward"]
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "letters.csv"
        table.write_text("person.name,person.reference\n" + "".join(
            f"{names[n % 5]},NC-{n:05d}\n" for n in range(args.letters)))
        options = {"formats": ["pdf"]}
        rows = []
        started = time.perf_counter()
        local = render_many(jobs_from([str(table)], BASE), {**options, "outdir": Path(folder) / "local"}, workers=2)
        rows.append(("local batch, 2 processes", args.letters / (time.perf_counter() - started), local.count("rendered")))
        for workers in (1, 2, 4):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                started = time.perf_counter()
                spread = render_many(jobs_from([str(table)], BASE), {**options, "outdir": Path(folder) / f"d{workers}"},
                                     scheduler=cluster.scheduler_address)
                rows.append((f"Dask LocalCluster, {workers} worker process{'es' if workers > 1 else ''}",
                             args.letters / (time.perf_counter() - started), spread.count("rendered")))
            print(rows[-1], flush=True)
    lines = ["# Batches on Dask", "",
             f"{time.strftime('%d %B %Y')}; {os.uname().machine}, {os.cpu_count()} cores, Python "
             f"{sys.version.split()[0]}. Produced by `bench/cluster.py`: {args.letters} invitation letters (CSV rows "
             "over the base) as PDFs, each way in the same run; a cluster's time includes sending the tasks, not "
             "starting the cluster.", "",
             "| how | documents a second | rendered |", "|---|---|---|"]
    lines += [f"| {how} | {rate:.1f} | {done} |" for how, rate, done in rows]
    table_text = "\n".join(lines) + "\n"
    print(table_text)
    if args.write:
        (ROOT / "bench" / "CLUSTER.md").write_text(table_text)


if __name__ == "__main__":
    main()
