"""The subscription page ``feeds/index.html``: what a township clerk opens on a phone.

One self-contained HTML5 file (inline CSS, QR codes as inline SVG made by segno, no scripts, no
external assets): the county's name, its feed and each township's, each with a ``webcal://`` and an
``https://`` subscribe link and a QR code of the https link, the next few planned activities of
each township (titles through :func:`pufa.text.visible` and :func:`pufa.text.mask`, escaped: no
personal data), how to subscribe (WeChat, Outlook, iPhone, Android) and when it was published.
Pure string building: the same records, base URL and time give the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pendulum
import segno

from pufa.event import Event
from pufa.model import County, Status
from pufa.text import mask, visible
from pufa.value import valueclass

#: how many coming activities each township's section lists
UPCOMING = 3
_WEEKDAYS = "一二三四五六日"

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f4f5f7}
main{max-width:1100px;margin:0 auto;padding:12px}
header{padding:8px 4px 4px}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.15rem;margin:0 0 .4em}
.muted{color:#59636e;font-size:.9rem}
nav{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
nav a{padding:2px 8px;border:1px solid #d0d7de;border-radius:12px;background:#fff;color:#0b57d0;text-decoration:none;font-size:.9rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
section{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:12px}
.feed{display:flex;gap:12px;align-items:flex-start}
.feed svg{flex:none;width:116px;height:116px}
.links{min-width:0}
.btn{display:inline-block;margin:0 0 6px;padding:6px 12px;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none}
.url{display:block;word-break:break-all;font-size:.85rem;color:#0b57d0}
ul{margin:.4em 0 0;padding-left:1.2em}
li{margin:.15em 0}
.none{color:#59636e}
.help li{margin:.4em 0}
footer{padding:12px 4px;color:#59636e;font-size:.85rem}
"""


@valueclass
class Listing:
    """One published feed on the page: its name, file and township (``None``: the county's)."""

    name: str
    filename: str
    township: str | None = None


def _shown(text: str) -> str:
    """A title fit for a public page: one line, no phone or 身份证 numbers, HTML-escaped."""
    return html.escape(mask(visible(text)))


def _day(value: pendulum.Date, year: int) -> str:
    shown = f"{value.month}月{value.day}日(周{_WEEKDAYS[value.weekday()]})"
    return shown if value.year == year else f"{value.year}年{shown}"


def when(event: Event, zone: str, year: int) -> str:
    """``12月3日(周四) 09:30``, ``12月3日(周四)`` or ``12月3日(周四)至12月5日(周六)``; a day
    outside ``year`` (the publishing year) with its year: ``2027年1月5日(周二)``."""
    start, end = event.span.start, event.span.end
    if isinstance(start, pendulum.DateTime) and isinstance(end, pendulum.DateTime):
        first, last = start.in_timezone(zone), end.in_timezone(zone)
        shown = f"{_day(first.date(), year)} {first.format('HH:mm')}"
        if last.date() != first.date():
            shown += f"至{_day(last.date(), year)}"
        return shown
    if isinstance(start, pendulum.DateTime) or isinstance(end, pendulum.DateTime):
        return _day(event.span.first_day, year)
    if start == end:
        return _day(start, year)
    return f"{_day(start, year)}至{_day(end, year)}"


def upcoming(events: Sequence[Event], township: str, today: pendulum.Date) -> list[Event]:
    """The next :data:`UPCOMING` planned activities of a township, from ``today`` on."""
    coming = [
        e
        for e in events
        if e.township == township
        and e.status is Status.PLANNED
        and e.voided is None
        and e.span.first_day >= today
    ]
    return sorted(coming, key=lambda e: (e.span.first_day, e.id or 0))[:UPCOMING]


def links(base_url: str | None, filename: str) -> tuple[str, str]:
    """The feed's ``webcal://`` and ``https://`` addresses (both the bare file name without a base URL)."""
    if not base_url:
        return filename, filename
    https = f"{base_url.rstrip('/')}/{filename}"
    return "webcal://" + https.split("://", 1)[-1], https


def qr(url: str) -> str:
    """The address as an inline SVG QR code (no XML declaration, no size: CSS sizes it)."""
    code = segno.make(url, error="m", micro=False)
    svg: str = code.svg_inline(scale=1, border=2, omitsize=True, title=url, svgclass="qr")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _feed(listing: Listing, base_url: str | None) -> str:
    webcal, https = links(base_url, listing.filename)
    if not base_url:
        return (
            f'<div class="links"><a class="url" href="{html.escape(https)}">'
            f"{html.escape(listing.filename)}</a></div>"
        )
    return (
        f'<div class="feed">{qr(https)}<div class="links">'
        f'<a class="btn" href="{html.escape(webcal)}">订阅到日历</a>'
        f'<a class="url" href="{html.escape(https)}">{html.escape(https)}</a>'
        "</div></div>"
    )


def _activities(coming: Sequence[Event], zone: str, year: int) -> str:
    if not coming:
        return '<p class="none">近期没有计划中的活动。</p>'
    items = "".join(
        f"<li>{html.escape(when(e, zone, year))} {_shown(e.title)}</li>" for e in coming
    )
    return f'<p class="muted">近期活动</p><ul>{items}</ul>'


def _section(
    county: County,
    listing: Listing,
    events: Sequence[Event],
    base_url: str | None,
    today: pendulum.Date,
) -> str:
    anchor = f"t-{listing.township}" if listing.township else "county"
    body = _feed(listing, base_url)
    if listing.township:
        coming = upcoming(events, listing.township, today)
        body += _activities(coming, county.timezone, today.year)
    else:
        body += '<p class="muted">全县所有乡镇和部门的活动都在这一份里。</p>'
    return f'<section id="{anchor}"><h2>{html.escape(listing.name)}</h2>{body}</section>\n'


_HELP = (
    "<li><b>微信里打开的:</b>微信不能直接订阅。长按复制 https 开头的链接,"
    "在手机日历里选“添加订阅日历”粘贴;或点右上角“…”,在浏览器中打开本页再点“订阅到日历”。</li>"
    "<li><b>iPhone:</b>点“订阅到日历”,再点“订阅”;或在“设置 → 日历 → 账户 → 添加账户 → 其他 → "
    "添加已订阅的日历”粘贴 https 链接。</li>"
    "<li><b>安卓手机:</b>多数自带日历不能直接订阅网址:装一个日历订阅应用,添加 https 链接;"
    "或在电脑上打开 Google 日历网页版,“其他日历 → 通过网址添加”,同一账号的手机就能看到。</li>"
    "<li><b>Outlook:</b>“添加日历 → 从 Internet 订阅”,粘贴 https 链接。</li>"
    "<li>电脑上也可以用手机扫二维码。订阅后计划有变动(改期、取消)会自动同步,约每 6 小时刷新一次。</li>"
)


def page(
    county: County,
    listings: Sequence[Listing],
    events: Sequence[Event],
    base_url: str | None,
    published: pendulum.DateTime,
) -> bytes:
    """The whole page as UTF-8 bytes; ``published`` is shown (in the county's time) and is the
    "today" from which each township's coming activities are listed."""
    local = published.in_timezone(county.timezone)
    name = html.escape(county.name)
    sections = "".join(_section(county, x, events, base_url, local.date()) for x in listings)
    nav = "".join(
        f'<a href="#t-{html.escape(x.township)}">{html.escape(x.name.removesuffix("普法活动"))}</a>'
        for x in listings
        if x.township
    )
    note = (
        ""
        if base_url
        else '<p class="none">还没有对外地址,暂无订阅链接和二维码:'
        "请用 pufa feeds publish --base-url https://…/feeds 发布一次。</p>"
    )
    html_text = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{name}普法活动日历</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<header><h1>{name}普法活动日历</h1>"
        '<p class="muted">在手机日历里订阅本乡镇的日历,计划变动会自动同步。'
        "扫二维码或点“订阅到日历”。</p>"
        f"{note}<nav>{nav}</nav></header>\n"
        f'<div class="grid">\n{sections}</div>\n'
        f'<section class="help" id="help"><h2>如何订阅</h2><ul>{_HELP}</ul></section>\n'
        f"<footer>最后发布:{local.format('YYYY-MM-DD HH:mm')} · 由 pufa 生成</footer>\n"
        "</main>\n</body>\n</html>\n"
    )
    return html_text.encode("utf-8")
