"""Does `pufa feeds serve` answer a burst of clients, and stay small with slow readers?

Starts the installed `pufa feeds serve FOLDER --port 0` in a subprocess (so its memory is its
own) on a folder holding index.html, a 100 KB feed and a 20 MB one, then, over loopback only:

  burst    200 clients at once (threads + http.client) each GET the 100 KB feed, giving up after
           10 s as a phone calendar would; how many were answered with the right bytes, and the burst's wall time against the same 200 requests
           made one after another (median of the runs' ratios);
  slow     N clients GET the 20 MB feed and read it slowly (4 KiB every 20 ms, small receive
           buffers) for a few seconds; the server's peak RSS (sampled from /proc, and its VmHWM)
           against its idle RSS before them.

Goals (issue 10, point 13): 200/200 answered; memory flat with slow readers (peak / idle ≈ 1,
not the 1.06 GB that 60 readers of a 20 MB feed took when each connection buffered the file).
Stops by itself; the traffic is bounded (N × a few hundred KiB for the slow readers).

    python benchmarks/serve.py [--clients 200] [--slow 60] [--seconds 5] [--runs 3] [--timeout 10]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_latency import pufa_command


def pattern(size: int, seed: int) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 2048
    return (block * (size // len(block) + 1))[:size]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def fetch(port: int, path: str, timeout: float = 60) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return body if response.status == 200 else b""
    finally:
        conn.close()


def burst(port: int, clients: int, expected: bytes, timeout: float) -> tuple[int, float]:
    """``clients`` requests released at once, each giving up after ``timeout`` seconds;
    (answered with the right bytes, wall seconds)."""
    gate = threading.Barrier(clients + 1)
    good = []

    def one() -> None:
        gate.wait()
        try:
            good.append(fetch(port, "/small.ics", timeout) == expected)
        except OSError:
            good.append(False)

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(good), time.perf_counter() - start


def sequential(port: int, requests: int, expected: bytes) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        assert fetch(port, "/small.ics") == expected
    return time.perf_counter() - start


def slow_readers(port: int, pid: int, count: int, seconds: float) -> tuple[int, int, int]:
    """``count`` slow readers of the 20 MB feed for ``seconds``; (peak RSS KiB sampled, bytes
    the readers got, readers being served — beyond the server's workers the rest wait their turn)."""
    sockets = []
    for _ in range(count):
        client = socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        client.settimeout(30)
        client.connect(("127.0.0.1", port))
        client.sendall(b"GET /big.ics HTTP/1.0\r\nHost: bench\r\n\r\n")
        client.setblocking(False)  # read what has arrived, never wait for one reader
        sockets.append(client)
    got = [0] * count
    peak = rss_kib(pid)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for n, client in enumerate(sockets):
            with contextlib.suppress(BlockingIOError):  # nothing has arrived for this one yet
                got[n] += len(client.recv(4096))
        peak = max(peak, rss_kib(pid))
        time.sleep(0.02)
    for client in sockets:
        client.close()
    return peak, sum(got), sum(1 for g in got if g)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--slow", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=10.0, help="a burst client's patience (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        folder = Path(tmp)
        (folder / "index.html").write_bytes(b"<!doctype html><title>bench</title>\n")
        small = pattern(100_000, 1)
        (folder / "small.ics").write_bytes(small)
        (folder / "big.ics").write_bytes(pattern(20 * 1024 * 1024, 2))
        server = subprocess.Popen(
            [*pufa_command(), "feeds", "serve", str(folder), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            found = re.search(r":(\d+)/", line)
            if found is None:
                sys.exit(
                    f"the server did not start: {line}{server.stderr.read() if server.stderr else ''}"
                )
            port = int(found.group(1))
            fetch(port, "/small.ics")  # the ETag cache and the imports, once
            time.sleep(0.5)
            idle = rss_kib(server.pid)
            answered, ratios, bursts, loops = [], [], [], []
            for _ in range(args.runs):
                ok, took = burst(port, args.clients, small, args.timeout)
                loop = sequential(port, args.clients, small)
                answered.append(ok)
                bursts.append(took)
                loops.append(loop)
                ratios.append(took / loop)
            after_burst = rss_kib(server.pid)
            peak, received, served = slow_readers(port, server.pid, args.slow, args.seconds)
            hwm = rss_kib(server.pid, "VmHWM")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"pufa feeds serve (subprocess, pid {server.pid}), {args.runs} runs")
    print(
        f"  burst   answered {', '.join(f'{a}/{args.clients}' for a in answered)};"
        f" wall (s) {', '.join(f'{b:.2f}' for b in bursts)}"
        f" vs one after another {', '.join(f'{s:.2f}' for s in loops)}"
    )
    print(
        f"  burst / sequential = {statistics.median(ratios):.2f}x (median of the runs' ratios;"
        " < 1 means the concurrent burst was faster)"
    )
    print(
        f"  memory  idle {idle / 1024:.1f} MiB; after the bursts {after_burst / 1024:.1f} MiB;"
        f" {args.slow} slow readers of a 20 MB feed for {args.seconds:.0f} s"
        f" ({served} being served, {received / 1024 / 1024:.1f} MiB read in all):"
        f" peak {peak / 1024:.1f} MiB (VmHWM {hwm / 1024:.1f} MiB)"
    )
    print(f"  peak / idle = {peak / idle:.2f}x (goal: flat, ≈ 1; was 1.06 GB for 60 readers)")


if __name__ == "__main__":
    main()
