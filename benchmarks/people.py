"""How fast are the rosters: a county's roster imported, and the coverage over it?

  import    `pufa people import` (in this process, through the CLI) of a roster of 136 villages × 6
            法律明白人 (816) plus one 法治副校长 at each of the 60 listed schools, into a fresh
            workspace each run; compared with reading the same workbook alone (`read_table`);
  coverage  `pufa people coverage --json` as a whole command over that roster added to the demo
            (its records and its own roster of 806), compared with the plain `pufa summary --year 2023 --json` on the same
            workspace.

Prints medians and the ratios. Goals (issue 13): import ≤ 2 s; coverage ≤ 1.2× summary. Absolute
times on these machines are noisy; only the ratios from one run mean anything.

    python benchmarks/people.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pendulum
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_latency import pufa_command

from pufa import demo, people
from pufa import workspace as ws
from pufa.cli.app import app
from pufa.ledger.table import read_table, write_table
from pufa.model import County

PER_VILLAGE = 6


def roster_rows(county: County) -> tuple[list[str], list[list[str]]]:
    """Headers and rows: 6 法律明白人 in every village, a 法治副校长 at every listed school."""
    headers = [h for k, h in people.EXPORT_COLUMNS.items() if k != "id"]
    rows = []
    n = 0
    for place in county.townships:
        for village in place.villages:
            for _ in range(PER_VILLAGE):
                n += 1
                rows.append(["法律明白人", f"基准人员{n:04}", str(13_800_000_000 + n),
                             f"{place.name} {village.name}", "网格员", f"基准证书{n:04}",
                             "2023-11-30", "", "", "", "", ""])  # fmt: skip
        for school in place.schools:
            n += 1
            rows.append(["法治副校长", f"基准人员{n:04}", str(13_800_000_000 + n), "", "", "", "",
                         school.name, "县公安局", "2023-09-01", "", ""])  # fmt: skip
    return headers, rows


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def imports(root: Path, book: Path, runs: int) -> None:
    reads, loads = [], []
    for n in range(runs):
        made = ws.init(root / f"import-{n}")
        reads.append(timed(lambda: read_table(book)))
        start = time.perf_counter()
        result = CliRunner().invoke(app, ["-w", str(made.root), "people", "import", str(book)])
        loads.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
    read, load = statistics.median(reads), statistics.median(loads)
    print(f"[import] {len(read_table(book)[1])} people, {runs} runs")
    print(f"  import median   {load * 1000:7.1f} ms   (pufa people import, in this process)")
    print(f"  read   median   {read * 1000:7.1f} ms   (read_table of the same workbook)")
    print(f"  import / read = {load / read:.2f}x;  goal: import ≤ 2 s")


def coverage(root: Path, book: Path, runs: int) -> None:
    made = demo.init(root / "demo")  # its own roster of 806 stays: 1,682 people in all
    CliRunner().invoke(app, ["-w", str(made.root), "people", "import", str(book)])
    base = [*pufa_command(), "-w", str(made.root)]
    cover = [*base, "people", "coverage", "--json"]
    summary = [*base, "summary", "--year", "2023", "--json"]
    for command in (cover, summary):  # warm caches once
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    covers, summaries = [], []
    for _ in range(runs):
        covers.append(timed(lambda: subprocess.run(cover, check=True, stdout=subprocess.DEVNULL)))
        summaries.append(
            timed(lambda: subprocess.run(summary, check=True, stdout=subprocess.DEVNULL))
        )
    c, s = statistics.median(covers), statistics.median(summaries)
    print(f"[coverage] demo records + the roster, {runs} runs")
    print(f"  coverage median {c * 1000:7.1f} ms   (pufa people coverage --json, whole command)")
    print(f"  summary  median {s * 1000:7.1f} ms   (pufa summary --year 2023 --json)")
    print(f"  coverage / summary = {c / s:.2f}x;  goal ≤ 1.2x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        root = Path(tmp)
        county = ws.init(root / "profile").county()
        book = root / "名册.xlsx"
        headers, rows = roster_rows(county)
        write_table(book, "名册", headers, rows, pendulum.now())
        imports(root, book, runs)
        coverage(root, book, runs)


if __name__ == "__main__":
    main()
