"""``pufa log`` on a terminal: ask for the missing fields one by one, show the record, ask to save.

Imported only when ``pufa log`` runs on a terminal with something missing (start-up stays fast).
Every answer is checked as it is given (a wrong one is explained and asked again); Ctrl-C or
end of input aborts with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pendulum
import typer

from pufa import dates, names, vocab
from pufa.cli.plain import event_lines
from pufa.errors import InvalidInput
from pufa.event import SPECS
from pufa.intake import Entry, build, parse_count
from pufa.model import County, Kind, Measure, Township

T = TypeVar("T")


def _input(question: str) -> str:
    """One answer, stripped; Ctrl-C or end of input ends the command with nothing written."""
    try:
        return input(question).strip()
    except (EOFError, KeyboardInterrupt):
        typer.echo("")
        typer.secho("已取消,什么也没有保存。", fg="yellow", err=True)
        raise typer.Exit(1) from None


def _ask(question: str, check: Callable[[str], T], *, default: str | None = None) -> T:
    """Ask until ``check`` accepts the answer (an empty answer is ``default`` when there is one)."""
    while True:
        answer = _input(f"{question}[{default}]:" if default else f"{question}:") or default or ""
        try:
            return check(answer)
        except InvalidInput as exc:
            for problem in exc.problems:
                typer.secho(f"  {problem},请重新输入", fg="red", err=True)


def _required(label: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not text:
            raise InvalidInput.one(label, None, "必填")
        return text

    return check


def _pick(question: str, choices: Sequence[tuple[str, T]], match: Callable[[str], T]) -> T:
    """A numbered pick list: a number, a name or its first characters (several matches are
    listed again to choose from), else ``match`` (aliases, pinyin …)."""
    for number, (label, _) in enumerate(choices, start=1):
        typer.echo(f"  {number}. {label}")

    def check(text: str) -> T:
        if text.isdigit() and 1 <= int(text) <= len(choices):
            return choices[int(text) - 1][1]
        found = [c for c in choices if text and c[0].startswith(text)] or [
            c for c in choices if text and text in c[0]
        ]
        if len(found) == 1:
            typer.echo(f"  → {found[0][0]}")
            return found[0][1]
        if len(found) > 1:
            return _pick("有几个相符,请选编号", found, match)
        return match(text)

    return _ask(question, check)


def _place(county: County, values: dict[str, str | None]) -> None:
    """乡镇 or 部门 from one pick list; then the optional 村(居) of a township."""
    choices = [(_spoken_name(t), "township:" + t.name) for t in county.townships]
    choices += [(d.name, "dept:" + d.name) for d in county.departments]

    def match(text: str) -> str:
        try:
            return "township:" + names.township(county, text).name
        except InvalidInput:
            return "dept:" + names.department(county, text).name

    field, _, name = _pick("地点(乡镇或部门,输编号或开头的字,如 禾)", choices, match).partition(":")
    values[field] = name
    if field == "township" and values.get("village") is None:
        town = names.township(county, name)
        values["village"] = _village_pick(county, town)


def _spoken_name(town: Township) -> str:
    """禾丰乡 for 禾丰布依族苗族乡: the short name with its kind, as people say it."""
    if town.short_name and town.kind in ("乡", "镇", "街道", "苏木"):
        return town.short_name + ("" if town.short_name.endswith(town.kind) else town.kind)
    return town.name


def _village_pick(county: County, town: Township) -> str | None:
    """The optional 村(居) of ``town`` from its pick list, as the place is picked (马 → 马头村);
    an empty answer leaves it out, an answer no village starts with is matched by name or code."""
    if not town.villages:
        return None
    choices: list[tuple[str, str | None]] = [(v.name, v.name) for v in town.villages]

    def match(text: str) -> str | None:
        return names.village(county, text, town)[1].name if text else None

    return _pick("村(居)(可不填,直接回车;输编号或开头的字,如 马)", choices, match)


def _date(today: pendulum.Date, tz: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        full, phrase = dates.spoken(text, today)
        dates.parse_when(full, tz)
        typer.echo("  " + dates.echo("日期", full, phrase))
        return full

    return check


def _count(measure: Measure, required: bool) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        if not text and required:
            raise InvalidInput.one(measure.value, None, "必填")
        return str(parse_count(measure, text)) if text else None

    return check


def _kind_pick() -> Kind:
    choices = [(f"{k.label}({k.slug})", k) for k in Kind]
    return _pick("活动类型(输编号或名称)", choices, names.kind)


def _details(county: County, kind: Kind, values: dict[str, str | None]) -> None:
    """The kind's 进 (a pick list of its venues) and its other required fields."""
    spec = SPECS[kind]
    if "venue" in spec.fields and values.get("venue") is None:
        venues = [(v.name, v.name) for v in county.venues_for(kind)]
        required = "venue" in spec.required_fields
        if required:
            values["venue"] = _pick(
                "进(输编号或名称)", venues, lambda t: names.venue(county, kind, t)
            )
    for name in spec.required_fields:
        if values.get(name) is None:
            values[name] = _ask(vocab.label(name), _required(vocab.label(name)))


def _measures(kind: Kind, values: dict[str, str | None], planned: bool) -> None:
    spec = SPECS[kind]
    for measure in spec.measures:
        if measure is Measure.SESSIONS or values.get(measure.value) is not None:
            continue
        required = measure in spec.required_when_held and not planned
        hint = "" if required else ",可不填"
        question = f"{spec.label(measure)}({spec.unit(measure)}{hint})"
        values[measure.value] = _ask(question, _count(measure, required))


def fill(
    county: County, kind: str | None, values: dict[str, str | None], today: pendulum.Date
) -> tuple[str | None, dict[str, str | None]]:
    """The kind and values, asked for (:func:`ask`) when something is missing and nothing given is
    wrong; else as given (the command then saves them or reports what is wrong)."""
    if kind is not None:
        try:
            build(county, Entry(kind, values), today=today)
        except InvalidInput as exc:
            if any(p.value is not None for p in exc.problems):
                return kind, values
        else:
            return kind, values
    return ask(county, kind, values, today)


def ask(
    county: County, kind_text: str | None, values: dict[str, str | None], today: pendulum.Date
) -> tuple[str, dict[str, str | None]]:
    """The kind and field values with every missing one asked for; the record shown, and saving
    confirmed (是/否). A refusal or an abort ends the command with nothing written."""
    filled = dict(values)
    typer.echo("登记活动:请逐项填写(Ctrl-C 取消,什么也不保存)。")
    kind = names.kind(kind_text) if kind_text else _kind_pick()
    if not filled.get("date"):
        filled["date"] = _ask(
            "日期(如 今天、昨天、3月5日、上周五)", _date(today, county.timezone), default="今天"
        )
    if not filled.get("township") and not filled.get("dept"):
        _place(county, filled)
    _details(county, kind, filled)
    if not filled.get("title"):
        filled["title"] = _ask("标题", _required("title"))
    _measures(kind, filled, filled.get("status") == "planned")
    event = build(county, Entry(kind.slug, filled), today=today)
    typer.echo(f"请核对:\n  类型:{kind.label}")
    typer.echo("\n".join(event_lines(county, event)[1:]))
    if _ask("保存吗?(是/否)", _yes_no, default="是"):
        return kind.slug, filled
    typer.secho("没有保存。", fg="yellow", err=True)
    raise typer.Exit(1)


def _yes_no(text: str) -> bool:
    if text.lower() in ("是", "y", "yes", "好", "保存"):
        return True
    if text.lower() in ("否", "n", "no", "不"):
        return False
    raise InvalidInput.one("confirm", text, "请回答 是 或 否")
