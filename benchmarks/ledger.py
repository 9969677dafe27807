"""How long does `pufa ledger import` take on a 10,000-row workbook?

Writes a 10,000-row 法律七进 workbook in the template's layout (openpyxl), then times, in one run:

  read    openpyxl merely reading the same file (read-only, values), in this process;
  import  `pufa ledger import FILE` into a fresh workspace, the whole command (start-up included);

and prints both, each run's ratio (the two are timed back to back, so a slow spell on this shared
machine hits both), their median, and the import's peak memory (max RSS of the child).
Goals (issue 5): import ≤ 5 s wall and ≤ 2.5× the bare read; peak memory ≤ 200 MiB.

With ``--limits`` it then measures the goals of issue 10, each command as a child process (its own
wall time and peak memory, from ``os.wait4``):

  export   `pufa ledger export` of ``--export-rows`` records (default 1,000,000), streamed;
  import   `pufa ledger import` of a workbook of ``--export-rows`` rows: over the documented row
           limit (100,000), so it must be refused early, in little memory;
  hostile  a ~70 KB workbook with a 64 MiB cell, a 1 MB one expanding past 10 GB, a 5 KB one
           claiming A1:XFD1048576: each answered with one line.

Goals (issue 10): peak memory ≤ 300 MiB for the export and the import; each hostile file ≤ 10 s.

    python benchmarks/ledger.py [--rows 10000] [--runs 3] [--limits [--export-rows 1000000]]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_latency import pufa_command
from openpyxl import Workbook, load_workbook

from pufa import workspace as ws


def write(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("法律七进集中宣传")
    sheet.append(["日期", "乡镇", "活动名称", "进", "参与人次", "发放资料", "备注"])
    townships = ["禾丰乡", "南江", "硒城街道", "龙岗镇", "毛云乡", "花梨镇"]
    venues = ["机关", "乡村", "社区", "学校", "企业", "单位", "网络"]
    for n in range(rows):
        day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
        sheet.append(
            [
                day,
                townships[n % 6],
                f"法律进{venues[n % 7]}:第{n + 1}次集中宣传",
                venues[n % 7],
                50 + n % 300,
                100 + n % 500,
                "",
            ]
        )
    book.save(path)


def bare_read(path: Path) -> int:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limits", action="store_true", help="also measure issue 10's goals")
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-ratio", action="store_true", help="only the --limits part")
    args = parser.parse_args()
    if args.limits:
        limits(args.export_rows)
    if args.skip_ratio:
        return
    os.environ.setdefault("PUFA_NOW", "2024-12-31T10:00:00+08:00")
    reads, imports, ratios, cpu_ratios = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        path = Path(tmp) / "台账.xlsx"
        write(path, args.rows)
        bare_read(path)  # warm the page cache and openpyxl's imports once
        for run in range(args.runs):
            start, cpu = time.perf_counter(), time.process_time()
            bare_read(path)
            reads.append(time.perf_counter() - start)
            read_cpu = time.process_time() - cpu
            workspace = ws.init(Path(tmp) / f"w{run}")
            start, children = time.perf_counter(), _children_cpu()
            result = subprocess.run(
                [*pufa_command(), "-w", str(workspace.root), "ledger", "import", str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            imports.append(time.perf_counter() - start)
            ratios.append(imports[-1] / reads[-1])
            cpu_ratios.append((_children_cpu() - children) / read_cpu)
            assert result.stdout.startswith(f"已新增 {args.rows} 条"), result.stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    read, imported = statistics.median(reads), statistics.median(imports)
    print(f"{args.rows:,} rows, {args.runs} runs")
    print(f"  read    median {read * 1000:8.1f} ms   (openpyxl read-only, values)")
    print(f"  import  median {imported * 1000:8.1f} ms   (pufa ledger import, whole command)")
    print(f"  per-run read (s):   {', '.join(f'{r:.2f}' for r in reads)}")
    print(f"  per-run import (s): {', '.join(f'{r:.2f}' for r in imports)}")
    print(f"  per-run import / read: {', '.join(f'{r:.2f}' for r in ratios)}")
    ratio = statistics.median(ratios)
    print(
        f"  per-run CPU time import / read: {', '.join(f'{r:.2f}' for r in cpu_ratios)}  "
        f"(median {statistics.median(cpu_ratios):.2f}x; CPU seconds do not count waiting for a core)"
    )
    print(
        f"import / read = {ratio:.2f}x (median of the runs' ratios; goal <= 2.5x);  "
        f"import {imported:.1f} s (goal <= 5 s);  peak memory {peak:.0f} MiB (goal <= 200)"
    )


# -- issue 10: streaming export, early refusal, hostile files -------------------------------------


def child(args: list[str]) -> tuple[float, float, int, str]:
    """Run a command; its wall seconds, its own peak memory (MiB), exit status and stderr.

    The peak is the child's VmHWM from /proc, read every 20 ms until it exits (ru_maxrss would
    count the parent's memory at fork, before the exec, on Linux)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        status = Path(f"/proc/{process.pid}/status")
        peak = 0
        while process.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        err.seek(0)
        return elapsed, peak / 1024, process.returncode, err.read().decode()


def fill_store(root: Path, rows: int) -> None:
    """``rows`` held 法律七进 records of 2024 in a fresh workspace, written in batches."""
    import attrs

    from pufa.event import Stamp
    from pufa.intake import Entry, build

    workspace = ws.init(root)
    county = workspace.county()
    base = build(
        county,
        Entry("seven-into", {"date": "2024-03-05", "township": "禾丰乡", "title": "法律进学校",
                             "venue": "学校", "participants": "120", "materials": "300"}),
    )  # fmt: skip
    stamp = Stamp(ws.now(), "基准测试")
    with workspace.open() as store:
        batch = 20_000
        for first in range(0, rows, batch):
            events = [
                attrs.evolve(base, title=f"法律进学校:第{n + 1}次集中宣传")
                for n in range(first, min(first + batch, rows))
            ]
            store.add_many(events, stamp, "基准测试")


PART = "xl/worksheets/sheet1.xml"


def write_hostile(folder: Path) -> dict[str, Path]:
    """The three hostile workbooks of issue 10, made by rewriting a small one's sheet XML."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from workbooks import rewrite  # the test suite's own generator

    small = folder / "small.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "法律七进"
    sheet.append(["日期", "乡镇", "活动名称", "进", "参与人次"])
    sheet.append(["2024-03-05", "禾丰乡", "PLACEHOLDER", "学校", 320])
    book.save(small)

    return {
        "64 MiB cell": rewrite(small, folder / "cell.xlsx", PART, b"PLACEHOLDER", b"x" * 2**20, 64),
        "10 GiB expansion": rewrite(
            small, folder / "bomb.xlsx", PART, b"PLACEHOLDER", b"y" * 2**24, 640
        ),
        "A1:XFD1048576": rewrite(
            small,
            folder / "claimed.xlsx",
            PART,
            b'<dimension ref="A1:E2" />',
            b'<dimension ref="A1:XFD1048576" />',
            1,
        ),
    }


def limits(rows: int) -> None:
    os.environ.setdefault("PUFA_NOW", "2024-12-31T10:00:00+08:00")
    with tempfile.TemporaryDirectory(prefix="pufa-bench-limits-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        fill_store(folder / "w", rows)
        print(f"issue 10 goals ({rows:,} records written in {time.perf_counter() - start:.0f} s)")
        out = folder / "台账.xlsx"
        seconds, peak, status, err = child(
            [
                *pufa_command(),
                "-w",
                str(folder / "w"),
                "ledger",
                "export",
                "-y",
                "2024",
                "-o",
                str(out),
            ]
        )
        assert status == 0, err
        print(
            f"  export  {rows:,} rows: {seconds:6.1f} s, peak {peak:5.0f} MiB (goal <= 300), "
            f"{out.stat().st_size / 2**20:.0f} MiB file"
        )
        seconds, peak, status, err = child(
            [*pufa_command(), "-w", str(folder / "w"), "ledger", "import", str(out)]
        )
        print(
            f"  import  {rows:,} rows: {seconds:6.1f} s, peak {peak:5.0f} MiB (goal <= 300), "
            f"exit {status}: {err.strip()[:90]}"
        )
        for name, path in write_hostile(folder).items():
            seconds, peak, status, err = child(
                [*pufa_command(), "-w", str(folder / "w"), "ledger", "import", str(path)]
            )
            lines = err.count("\n")
            print(
                f"  hostile {name:17} ({path.stat().st_size / 1024:,.0f} KB): {seconds:5.2f} s "
                f"(goal <= 10), peak {peak:4.0f} MiB, exit {status}, {lines} line(s) of {len(err)} chars"
            )


if __name__ == "__main__":
    main()
