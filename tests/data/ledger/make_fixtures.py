"""Make the ledger fixture workbooks, then have LibreOffice Calc (headless) write them.

The township workbooks a county receives are written by office suites, not by openpyxl. This
script drafts each sheet with openpyxl (a merged title row over the header, text dates, a 合计 row,
a typo) and converts it with Debian's LibreOffice (`apt-get install libreoffice-calc-nogui`):

    python tests/data/ledger/make_fixtures.py

The .xlsx files committed beside it are the LibreOffice output; the drafts are not kept.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["日期", "乡(镇、街道)", "活动名称", "进", "参与人数", "发放资料", "备注"]


def sheet(book: Workbook, title: str, rows: list[list[object]], total: list[object] | None) -> None:
    ws = book.create_sheet(title)
    ws.append([f"禾丰布依族苗族乡2024年{title}台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))  # a merged title
    ws.append(["填报单位:禾丰乡司法所", None, None, None, "填报日期:2024年7月1日"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws.append([])  # a blank row before the total, as offices leave one
    if total is not None:
        ws.append(total)


def draft(path: Path, rows: list[list[object]], total: list[object] | None) -> None:
    book = Workbook()
    book.remove(book.active)
    sheet(book, "法律七进", rows, total)
    book.save(path)


def main() -> None:
    good = [
        ["2024-03-05", "禾丰乡", "法律进学校:未成年人保护法宣讲", "学校", "320人", "600份", ""],
        ["2024/3/12", "禾丰", "法律进村寨:民法典", "农村", 150, "约300份", "村委会组织"],
        ["2024年4月2日", "禾丰布依族苗族乡", "法律进企业:劳动合同法", "企业", "85", "1.2万", ""],
        ["2024.5.8", "禾丰乡", "法律进社区:反诈宣传", "社区", 210, 400, ""],
    ]
    bad = [
        ["2024-03-05", "禾风乡", "法律进学校", "学校", "320", "600", ""],
        ["2024-02-30", "禾丰乡", "法律进村寨", "农村", "150", "300", ""],
        ["2024-04-02", "禾丰乡", "法律进军营", "军营", "85", "200", ""],
        ["2024-05-08", "禾丰乡", "法律进社区", "社区", "很多", "400", ""],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        drafts = Path(tmp)
        draft(drafts / "ledger-hefeng.xlsx", good, ["合计", None, None, None, 765, 13300, None])
        draft(drafts / "ledger-mistakes.xlsx", bad, ["合计", None, None, None, 999, 1500, None])
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise SystemExit("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
        out = drafts / "out"
        for name in ("ledger-hefeng.xlsx", "ledger-mistakes.xlsx"):
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--calc",
                    "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML",
                    "--outdir",
                    str(out),
                    str(drafts / name),
                ],
                check=True,
                capture_output=True,
            )
            shutil.copyfile(out / name, HERE / name)
    # a GB18030 CSV, as Excel on Chinese Windows saves "CSV (逗号分隔)"
    text = "日期,乡镇,活动名称,进,参与人次,发放资料\r\n2024-06-05,南江,法律进单位:安全生产法,单位,60,120\r\n"
    (HERE / "ledger-nanjiang-gb18030.csv").write_bytes(text.encode("gb18030"))


if __name__ == "__main__":
    main()
