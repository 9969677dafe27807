"""How long does `pufa ledger import` take on a 10,000-row workbook?

Writes a 10,000-row 法律七进 workbook in the template's layout (openpyxl), then times, in one run:

  read    openpyxl merely reading the same file (read-only, values), in this process;
  import  `pufa ledger import FILE` into a fresh workspace, the whole command (start-up included);

and prints both, each run's ratio (the two are timed back to back, so a slow spell on this shared
machine hits both), their median, and the import's peak memory (max RSS of the child).
Goals (issue 5): import ≤ 5 s wall and ≤ 2.5× the bare read; peak memory ≤ 200 MiB.

    python benchmarks/ledger.py [--rows 10000] [--runs 3]
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
