"""Word documents for leaders: `report --format docx` and `summary --format docx`, read back with
python-docx (text, fonts, sizes, indents, tables), deterministic, refused without a proper -o."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pufa import demo
from pufa import workspace as ws
from pufa.display import SUMMARY_COLUMNS

from .conftest import invoke, invoke_ok
from .test_report import REPORT_2023


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("documents") / "demo")


@pytest.fixture
def report_2023(sample: ws.Workspace, tmp_path: Path) -> Path:
    """The county's 2023 report as a .docx."""
    path = tmp_path / "2023年普法工作总结.docx"
    result = invoke_ok(sample.root, "report", "--year", "2023", "--format", "docx", "-o", str(path))
    assert result.stdout == f"已写入 {path}\n"
    return path


def opened(path: Path) -> WordDocument:
    return docx.Document(str(path))


def east_asian(run: object) -> str | None:
    """The font a run names for Chinese text (w:eastAsia of its rFonts)."""
    fonts = run._r.rPr.rFonts  # type: ignore[attr-defined]
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_the_report_opens_with_its_title_in_xiaobiaosong_2hao_centred(report_2023: Path) -> None:
    """The first paragraph is the title: 方正小标宋简体, 22 pt, centred, no indent."""
    title = opened(report_2023).paragraphs[0]
    assert title.text == "开阳县2023年普法工作总结"
    run = title.runs[0]
    assert (east_asian(run), run.font.size) == ("方正小标宋简体", Pt(22))
    assert title.alignment == 1  # centre
    assert title.paragraph_format.first_line_indent == Pt(0)


def test_the_report_carries_the_paragraph_in_fangsong_3hao(report_2023: Path) -> None:
    """The 普法 paragraph is there whole, in 仿宋_GB2312 16 pt."""
    paragraphs = opened(report_2023).paragraphs
    found = [p for p in paragraphs if p.text == REPORT_2023]
    assert len(found) == 1
    run = found[0].runs[0]
    assert (east_asian(run), run.font.size) == ("仿宋_GB2312", Pt(16))


def test_the_body_style_indents_two_characters_at_fixed_line_spacing(report_2023: Path) -> None:
    """Normal: 仿宋_GB2312 3号, first line indented 2 characters (32 pt), lines 28.95 pt apart."""
    normal = opened(report_2023).styles["Normal"]
    layout = normal.paragraph_format
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert layout.first_line_indent == Pt(32)
    assert normal.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert layout.line_spacing == Pt(28.95)


def test_the_page_is_a4_with_the_official_margins(report_2023: Path) -> None:
    """A4, margins 上37 下35 左28 右26 mm."""
    section = opened(report_2023).sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    sides = (section.left_margin, section.right_margin)
    wanted = (210, 297, 37, 35, 28, 26)
    # Word stores twentieths of a point: a millimetre comes back within a twip
    assert all(
        abs(got - Mm(mm)) < Mm(0.1) for got, mm in zip((*sizes, *sides), wanted, strict=True)
    )


def test_the_footer_numbers_the_pages_between_dashes(report_2023: Path) -> None:
    """The footer holds "— ", a PAGE field, " —", centred."""
    footer = opened(report_2023).sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert "PAGE" in xml
    assert 'w:fldCharType="begin"' in xml
    assert footer.text.startswith("— ")
    assert footer.text.endswith(" —")


def test_the_indicator_table_has_target_done_rate_and_status(report_2023: Path) -> None:
    """The first table: 指标, 目标, 完成, 完成率, 状态; 法律七进 113 of 113 场次, 100%, 达标."""
    table = opened(report_2023).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["指标", "目标", "完成", "完成率", "状态"]
    assert ["法律七进集中宣传", "113场次", "113", "100%", "达标"] in rows


def test_the_township_table_lists_each_township(report_2023: Path, sample: ws.Workspace) -> None:
    """The second table has one row per township of the county, under the breakdown's headers."""
    table = opened(report_2023).tables[1]
    labels = [row.cells[0].text for row in table.rows[1:]]
    assert labels[: len(sample.county().townships)] == [t.name for t in sample.county().townships]


def test_the_table_header_repeats_on_each_page(report_2023: Path) -> None:
    """Each table's first row is marked as a header row (w:tblHeader)."""
    for table in opened(report_2023).tables:
        assert "w:tblHeader" in table.rows[0]._tr.xml


def test_fonts_are_named_not_embedded(report_2023: Path) -> None:
    """No font file is in the package and settings do not ask to embed fonts."""
    with zipfile.ZipFile(report_2023) as archive:
        names = archive.namelist()
        settings = archive.read("word/settings.xml").decode()
    assert not [n for n in names if n.startswith("word/fonts/")]
    assert "embedTrueTypeFonts" not in settings


def test_the_font_table_names_a_substitute_for_each_chinese_font(report_2023: Path) -> None:
    """fontTable.xml: 方正小标宋简体 falls back to 黑体, 仿宋_GB2312 to 仿宋 (w:altName)."""
    with zipfile.ZipFile(report_2023) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


def test_the_same_data_and_now_give_the_same_bytes(sample: ws.Workspace, tmp_path: Path) -> None:
    """Two runs with the same PUFA_NOW write byte-identical documents, stamped with that time."""
    paths = [tmp_path / "1.docx", tmp_path / "2.docx"]
    for path in paths:
        invoke_ok(sample.root, "report", "--year", "2023", "--format", "docx", "-o", str(path))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    with zipfile.ZipFile(paths[0]) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 3, 6, 2, 0, 0)}
    assert opened(paths[0]).core_properties.created.isoformat() == "2024-03-06T02:00:00+00:00"


def test_a_units_report_has_its_own_title_paragraph_and_tasks(
    sample: ws.Workspace, tmp_path: Path
) -> None:
    """--dept: titled 县司法局2023年普法履职情况, opened by the unit's lead, one table (no townships)."""
    path = tmp_path / "司法局.docx"
    invoke_ok(
        sample.root,
        "report",
        "--year",
        "2023",
        "--dept",
        "司法局",
        "--format",
        "docx",
        "-o",
        str(path),
    )
    word = opened(path)
    assert word.paragraphs[0].text == "县司法局2023年普法履职情况"
    assert any(p.text.startswith("县司法局落实") for p in word.paragraphs)
    assert len(word.tables) == 1


def test_docx_without_an_output_file_is_refused(sample: ws.Workspace) -> None:
    """--format docx needs -o: a Chinese message naming the option, exit 2 or 1, nothing printed."""
    result = invoke(sample.root, "report", "--year", "2023", "--format", "docx")
    assert result.exit_code != 0
    assert "--format docx 须用 -o 指定输出文件" in result.stderr


def test_docx_to_a_file_of_another_suffix_is_refused(sample: ws.Workspace, tmp_path: Path) -> None:
    """-o 总结.doc is refused before anything is written."""
    path = tmp_path / "总结.doc"
    result = invoke(sample.root, "report", "--year", "2023", "--format", "docx", "-o", str(path))
    assert "应为以 .docx 结尾的文件名" in result.stderr
    assert not path.exists()


def test_an_existing_document_is_replaced_only_with_force(
    sample: ws.Workspace, report_2023: Path
) -> None:
    """An existing .docx is kept without --force and replaced with it."""
    report_2023.write_bytes(b"old")
    args = ("report", "--year", "2023", "--format", "docx", "-o", str(report_2023))
    refused = invoke(sample.root, *args)
    assert "文件已存在,未覆盖" in refused.stderr
    assert report_2023.read_bytes() == b"old"
    invoke_ok(sample.root, *args, "--force")
    assert opened(report_2023).paragraphs[0].text == "开阳县2023年普法工作总结"


def test_the_summary_as_a_word_table(sample: ws.Workspace, tmp_path: Path) -> None:
    """summary --format docx: the title, then the summary's columns with 法律七进's row."""
    path = tmp_path / "汇总.docx"
    invoke_ok(sample.root, "summary", "--year", "2023", "--format", "docx", "-o", str(path))
    word = opened(path)
    assert word.paragraphs[0].text == "开阳县2023年普法工作指标汇总"
    rows = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert rows[0] == list(SUMMARY_COLUMNS)
    assert ["法律七进集中宣传", "113", "0", "113场次"] in [r[:4] for r in rows]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_the_report_to_pdf(report_2023: Path, tmp_path: Path) -> None:
    """LibreOffice opens the document and converts it to PDF headlessly."""
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(report_2023),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "2023年普法工作总结.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
