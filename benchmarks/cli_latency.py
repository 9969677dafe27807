"""How long does `pufa log` take, relative to the imports it cannot avoid?

Runs three commands alternately, many times, in one process:

  log    `pufa log seven-into …` — one held event into an existing workspace (a fresh one per run
         of this script, made with `pufa init`);
  floor  `python -c "import typer, attrs, pendulum, sqlite3"` — the libraries `log` needs;
  bare   `python -c pass` — interpreter start-up.

Prints the median wall time of each and the ratios. Goal (issue 2): log / floor ≤ 1.2.
Absolute times on these machines are noisy; only the ratios from one run mean anything.

    python benchmarks/cli_latency.py [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pufa_command() -> list[str]:
    """The installed console script next to this interpreter (what a user runs)."""
    script = Path(sys.executable).with_name("pufa")
    if script.exists():
        return [str(script)]
    found = shutil.which("pufa")
    if found is None:
        sys.exit("pufa is not installed in this environment: pip install .")
    return [found]


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default 40)")
    args = parser.parse_args()

    pufa = pufa_command()
    commands = {
        "log": [
            *pufa, "log", "seven-into", "--date", "2024-03-05", "--township", "禾丰乡",
            "--title", "基准:法律进学校", "--venue", "学校", "--participants", "120",
        ],
        "floor": [sys.executable, "-c", "import typer, attrs, pendulum, sqlite3"],
        "bare": [sys.executable, "-c", "pass"],
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        root = Path(tmp)
        env = {**os.environ, "PUFA_USER": "benchmark"}
        subprocess.run([*pufa, "init", str(root)], check=True, stdout=subprocess.DEVNULL, env=env)
        os.environ["PUFA_USER"] = "benchmark"
        for command in commands.values():  # warm the page cache and __pycache__ once
            timed(command, root)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, root))

    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"runs per command: {args.runs}  (python {sys.version.split()[0]}, {sys.executable})")
    for name, value in median.items():
        spread = statistics.quantiles(times[name], n=4)
        print(
            f"  {name:5} median {value * 1000:7.1f} ms   (quartiles {spread[0] * 1000:.1f}–{spread[2] * 1000:.1f} ms)"
        )
    print(f"floor / bare = {median['floor'] / median['bare']:.2f}x")
    print(f"log   / bare = {median['log'] / median['bare']:.2f}x")
    ratio = median["log"] / median["floor"]
    verdict = "meets" if ratio <= 1.2 else "misses"
    print(f"log   / floor = {ratio:.2f}x   (goal <= 1.20x: {verdict})")


if __name__ == "__main__":
    main()
