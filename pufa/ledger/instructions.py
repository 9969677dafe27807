"""The template's 填表说明 sheet: each column, what to write in it, and an example drawn from the
county at hand and the year (another county's template never shows 开阳县's townships)."""

from __future__ import annotations

from pufa import names
from pufa.model import County


def _examples(county: County) -> tuple[str, str, str, str]:
    """A township as typed and in full, one of its villages, and a department."""
    township, dept = names.example_township(county), names.example_dept(county)
    if township is None:
        return "", "", "", dept.name if dept else ""
    typed, unit = township
    village = unit.villages[0].name if unit.villages else ""
    return typed, unit.name, village, dept.name if dept else ""


def instruction_rows(county: County, year: int) -> list[tuple[str, str, str]]:
    """(field key, explanation, example) for every column of the template, in column order."""
    typed, township, village, dept = _examples(county)
    day = f"{year}-03-05"
    return [
        (
            "date",
            f"活动日期。写成 {day}、{year}/3/5、{year}年3月5日 均可;带时间写 {day} 09:30",
            day,
        ),
        ("end", "多日活动的结束日期,或同日活动的结束时间;单日活动不填", f"{year}-03-07"),
        ("township", f"开展活动的乡(镇、街道),从下拉列表选,简称也可(如“{typed}”)", township),
        (
            "village",
            "在村(居)开展的,填村(居)全称、简称或 12 位代码(须在所填乡镇内,见 pufa places);"
            "乡镇、县级活动不填",
            village,
        ),
        ("dept", "组织部门(县直部门开展的活动填这里,“乡镇”就不填)", dept),
        ("title", "活动名称", "法律进学校:未成年人保护法宣讲"),
        ("venue", "“进”的类别(法律七进、宪法进…),从下拉列表选", "学校"),
        ("occasion", "宣传节点,如 宪法宣传周、国家宪法日、4·15全民国家安全教育日", "宪法宣传周"),
        ("participants", "参与人次(学法用法考试填参考人数);只写数字", "320"),
        ("materials", "发放宣传资料份数;只写数字", "600"),
        ("status", "计划 / 已开展 / 已取消;不填即“已开展”", "已开展"),
        ("note", "备注", ""),
        ("id", "pufa 的记录编号:导出的表带有编号,修改后再导入会修改原记录;新增的行不填", ""),
        (
            "revision",
            "导出时这条记录的版本,不要改。导入时若记录在导出之后已被别人修改(版本更新),这一行不导入,"
            "并说明谁、何时改了什么:请重新导出再改",
            "",
        ),
    ]
