"""How long does `pufa init --county 520122` take, against reading the division codes alone?

Runs, alternately and many times:

  init   `pufa init <fresh folder> --county 520122` — 息烽县's profile from the packaged division
         codes (areas, township-level units, its province's 村(居)), checked, and a new SQLite store;
  read   `python -c …` decompressing and parsing the three packaged files it reads (lzma + csv),
         nothing else: the floor of the divisions part;
  bare   `python -c pass` — interpreter start-up.

Prints the median wall time of each and the ratio init / read. Goal (issue 12): init ≤ 1 s.

    python benchmarks/init.py [--runs 15] [--county 520122]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cli_latency import pufa_command  # the installed `pufa` next to this interpreter (same folder)

DATA = Path(__file__).resolve().parent.parent / "pufa" / "_data" / "divisions"


def read_only(county: str) -> list[str]:
    """A command that reads exactly the packaged files `init` reads for ``county``."""
    files = [DATA / "areas.csv.xz", DATA / "streets.csv.xz", DATA / f"villages-{county[:2]}.csv.xz"]
    code = (
        "import csv, lzma\n"
        f"for f in {[str(f) for f in files]!r}:\n"
        "    with lzma.open(f, 'rt', encoding='utf-8', newline='') as h:\n"
        "        sum(1 for _ in csv.reader(h))\n"
    )
    return [sys.executable, "-c", code]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--county", default="520122")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"init": [], "read": [], "bare": []}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            target = Path(folder) / f"w{run}"
            times["init"].append(
                timed([*pufa_command(), "init", str(target), "--county", args.county])
            )
            times["read"].append(timed(read_only(args.county)))
            times["bare"].append(timed([sys.executable, "-c", "pass"]))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:5} {value * 1000:7.1f} ms (median of {args.runs})")
    print(f"init / read = {median['init'] / median['read']:.2f}; goal: init ≤ 1 s")


if __name__ == "__main__":
    main()
