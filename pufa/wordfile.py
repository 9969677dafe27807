"""A :class:`~pufa.document.Document` as a Word file, laid out as a Chinese official document.

GB/T 9704 in spirit: A4 with margins 上37 下35 左28 右26 mm; the title in 方正小标宋简体 2号
(22 pt) centred; the body in 仿宋_GB2312 3号 (16 pt), a first-line indent of 2 characters, lines
28.95 pt apart; first-level headings in 黑体; page numbers "— 1 —" in the footer (宋体 4号).
Fonts are named (``w:eastAsia`` for Chinese text, Times New Roman for Latin), never embedded; the
font table names each one's substitute for a computer without it (方正小标宋简体 → 黑体,
仿宋_GB2312 → 仿宋: :data:`FALLBACKS`). Tables are 仿宋 4号 (14 pt).

The only importer of python-docx, and only inside :func:`write_docx`: no other command pays for it.
Deterministic: the same document and ``now`` give the same bytes (the core properties' created and
modified, and every zip entry's time, are ``now``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any, BinaryIO

from pufa.document import Document, Table, cell_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = 22  #: 2号
BODY_SIZE = 16  #: 3号
TABLE_SIZE = 14  #: 4号
LINE_SPACING = 28.95  #: pt: 22 lines on a page of type area 225 mm
MARGINS_MM = (37, 35, 28, 26)  #: top, bottom, left, right


def write_docx(file: BinaryIO, document: Document, now: dt.datetime) -> None:
    """Write ``document`` as a .docx to ``file``, stamped with ``now``."""
    import docx  # python-docx: see the module's docstring

    word = docx.Document()
    _font_table(word)
    _page(word)
    _styles(word)
    _title(word, document)
    for section in document.sections:
        _paragraph(word, section.heading, font=HEADING_FONT)
        for line in section.paragraphs:
            _paragraph(word, line)
        if section.table is not None:
            _table(word, section.table)
    utc = now.astimezone(dt.UTC).replace(tzinfo=None)
    props = word.core_properties
    props.created = props.modified = props.last_printed = utc
    props.title, props.author, props.last_modified_by = document.title, "pufa", "pufa"
    props.revision = 1
    raw = io.BytesIO()
    word.save(raw)
    _restamp(raw.getvalue(), file, utc)


def _restamp(data: bytes, file: BinaryIO, when: dt.datetime) -> None:
    """The zip ``data`` again, each entry stamped ``when`` (python-docx stamps the wall clock)."""
    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info))


#: the Chinese fonts named, each with the font Word and WPS put in its place when it is missing
#: (w:altName), all of the GB2312 character set (w:charset 86)
FALLBACKS = {
    TITLE_FONT: HEADING_FONT,
    BODY_FONT: "仿宋",
    HEADING_FONT: "SimHei",
    "楷体_GB2312": "楷体",
    PAGE_FONT: "SimSun",
}


def _font_table(word: Any) -> None:
    """Name each Chinese font in ``word/fontTable.xml`` with its substitute (方正小标宋简体 → 黑体);
    no font is embedded."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = next(p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for name, substitute in FALLBACKS.items():
        table.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{substitute}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
    part._blob = serialize_part_xml(table)


def _fonts(element: Any, east: str) -> None:
    """Name the fonts of an ``rPr``-holding element: ``east`` for Chinese, Times New Roman else."""
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for name in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(name), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east)


def _page(word: Any) -> None:
    """A4, the margins, and the page number in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = (Mm(v) for v in MARGINS_MM)
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    for part in ("— ", None, " —"):
        run = footer.add_run(part or "")
        if part is None:
            _page_field(run)
        run.font.size = Pt(TABLE_SIZE)
        _fonts(run._r, PAGE_FONT)


def _page_field(run: Any) -> None:
    """A PAGE field in ``run`` (Word and WPS fill in the page's number)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _styles(word: Any) -> None:
    """The Normal style: 仿宋 3号, indent 2 characters, fixed line spacing."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = word.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _fonts(normal.element, BODY_FONT)
    layout = normal.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(LINE_SPACING)
    layout.space_before = layout.space_after = Pt(0)
    layout.first_line_indent = Pt(2 * BODY_SIZE)
    indent = normal.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), "200")  # 2 characters, whatever the font size


def _title(word: Any, document: Document) -> None:
    """The title (小标宋 2号, centred, a blank line after) and the dating line (楷体)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title = _paragraph(word, document.title, font=TITLE_FONT, size=TITLE_SIZE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.5)
    dating = _paragraph(word, document.dating, font="楷体_GB2312")
    dating.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(word, "")


def _paragraph(word: Any, text: str, *, font: str = BODY_FONT, size: int = BODY_SIZE) -> Any:
    """A paragraph of one run in ``font`` at ``size`` points (centred ones lose the indent)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    _fonts(run._r, font)
    if font == TITLE_FONT or font.startswith("楷体"):
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    return paragraph


def _table(word: Any, table: Table) -> None:
    """A bordered table: the header row bold and repeated on each page, numbers right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = word.add_table(rows=1, cols=len(table.headers))
    grid.style = word.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
            number = value is None or isinstance(value, int | float)
            align = WD_ALIGN_PARAGRAPH.RIGHT if number else WD_ALIGN_PARAGRAPH.LEFT
            _cell(cell, cell_text(value, percent=n in table.percent), align=align)
    _paragraph(word, "")


def _cell(cell: Any, text: str, *, align: Any, bold: bool = False) -> None:
    """A table cell's one paragraph: 仿宋 4号, no indent, single spacing."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.first_line_indent = Pt(0)
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_SIZE)
    run.bold = bold
    _fonts(run._r, BODY_FONT)


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as its header, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
