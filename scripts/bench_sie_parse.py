"""Benchmark of budget.ledger.sie: parse a generated SIE 4 file of N #TRANS lines.

    .venv/bin/python scripts/bench_sie_parse.py [N]    # N defaults to 1 000 000

Writes a temporary file (vouchers of 10 #TRANS lines over 50 cost centres, CP437 with Swedish
letters, written in chunks), parses it
once without and once with tracemalloc, and prints lines per second and peak memory: the
tracemalloc peak of the parse (Python allocations only) and the process's ru_maxrss. A benchmark,
not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budget.ledger.sie import Voucher, parse  # noqa: E402 - after the path is set

ROWS_PER_VOUCHER = 10
HEADER = """#FLAGGA 0
#PROGRAM "Benchmark" 1.0
#FORMAT PC8
#GEN 20260115
#SIETYP 4
#FNAMN "Ekbacka kommun"
#ORGNR 212000-0000
#RAR 0 20260101 20261231
#KONTO 1930 "Bank"
#KONTO 5010 "Lokalhyra"
#KONTO 6110 "Kontorsmateriel"
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#OBJEKT 1 "100" "Förskola Äppellunden"
#OBJEKT 6 "P12" "Skolgård Östra"
"""


def write_file(path: Path, transactions: int) -> int:
    """Write the file in chunks; return the number of lines."""
    lines = HEADER.count("\n")
    vouchers = -(-transactions // ROWS_PER_VOUCHER)
    written = 0
    with open(path, "wb") as out:
        out.write(HEADER.encode("cp437"))
        for number in range(1, vouchers + 1):
            rows = min(ROWS_PER_VOUCHER, transactions - written)
            day = 1 + number % 28
            chunk = [f'#VER A {number} 202601{day:02d} "Inköp nr {number} åäö" 20260130\n{{\n']
            total = 0  # öre
            for row in range(rows - 1):
                cents = (row + 1) * 10000 + 2550  # 125.50, 225.50, ...
                total += cents
                unit = 100 + number % 50
                chunk.append(
                    f'   #TRANS 6110 {{1 "{unit}" 6 "P12"}} {cents // 100}.{cents % 100:02d} '
                    f'202601{day:02d} "Pärmar och pennor"\n'
                )
            chunk.append(f"   #TRANS 1930 {{}} -{total // 100}.{total % 100:02d}\n}}\n")
            out.write("".join(chunk).encode("cp437"))
            written += rows
            lines += rows + 3
    return lines


def run(path: Path) -> tuple[int, int]:
    vouchers = transactions = 0
    with parse(path) as reader:
        for record in reader:
            if isinstance(record, Voucher):
                vouchers += 1
                transactions += len(record.transactions)
    return vouchers, transactions


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("n", nargs="?", type=int, default=1_000_000, help="#TRANS lines")
    n = arguments.parse_args().n

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.se"
        started = time.perf_counter()
        lines = write_file(path, n)
        size = os.path.getsize(path)
        print(
            f"generated {n:,} #TRANS lines, {lines:,} lines, {size / 2**20:.1f} MiB "
            f"in {time.perf_counter() - started:.1f} s"
        )

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        vouchers, transactions = run(path)
        elapsed = time.perf_counter() - started
        assert transactions == n, (transactions, n)
        print(
            f"parsed {vouchers:,} vouchers, {transactions:,} transactions in {elapsed:.2f} s: "
            f"{lines / elapsed:,.0f} lines/s, {transactions / elapsed:,.0f} #TRANS/s, "
            f"{size / 2**20 / elapsed:.1f} MiB/s"
        )
        rss_after_plain = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        tracemalloc.start()
        started = time.perf_counter()
        run(path)
        traced = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"with tracemalloc: {traced:.2f} s, peak of traced Python allocations "
            f"{peak / 2**20:.2f} MiB"
        )
        # ru_maxrss is in KiB on Linux, in bytes on macOS.
        unit = 1 if sys.platform == "darwin" else 1024
        print(
            f"ru_maxrss (whole process, interpreter included): "
            f"{rss_before * unit / 2**20:.1f} MiB before parsing, "
            f"{rss_after_plain * unit / 2**20:.1f} MiB after the plain parse, "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20:.1f} MiB "
            "at the end"
        )


if __name__ == "__main__":
    main()
