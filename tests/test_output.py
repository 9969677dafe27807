"""pufa.output.csv_bytes: every CSV pufa writes, UTF-8 with a BOM for Excel."""

from __future__ import annotations

import csv
import io

from pufa import output


def test_a_csv_starts_with_the_bom_and_ends_lines_with_crlf() -> None:
    """Excel on Chinese Windows needs the BOM to read UTF-8; lines end in CRLF."""
    data = b"".join(output.csv_bytes([["乡镇", "场次"], ["禾丰乡", 3]]))
    assert data == output.BOM + "乡镇,场次\r\n禾丰乡,3\r\n".encode()


def test_the_rows_come_in_batches_that_join_to_the_same_file() -> None:
    """Written a few rows at a time, the bytes are those of the whole file; the BOM comes once."""
    rows = [[str(n), "a,b"] for n in range(10)]
    pieces = list(output.csv_bytes(rows, batch=3))
    assert len(pieces) > 3
    assert b"".join(pieces) == b"".join(output.csv_bytes(rows, batch=1000))
    text = b"".join(pieces).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == rows


def test_no_rows_is_only_the_bom() -> None:
    """An empty table is an empty file Excel still opens as UTF-8."""
    assert b"".join(output.csv_bytes([])) == output.BOM
