"""The dashboard view model (pufa/dashboard.py, pufa/overview.load_dashboard) and its partial
_dashboard.html: the same tally as `pufa summary`, behind-pace first, the county's 18 townships."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import html5lib
import jinja2
import pendulum
import pytest

from pufa import amounts, demo, overview, tally
from pufa import workspace as ws
from pufa.dashboard import PACE_ORDER, Dashboard, heat, heat_targets, level
from pufa.tally import Pace
from pufa.web import charts

from .conftest import invoke_ok, year_of


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("dashboard") / "demo")


def dashboard_of(
    workspace: ws.Workspace, year: int, township: str | None = None, dept: str | None = None
) -> Dashboard:
    """``load_dashboard`` on the workspace's own open store, as of today (at most its 31 Dec)."""
    county = workspace.county()
    with workspace.open() as store:
        return overview.load_dashboard(workspace, county, store, year, township=township, dept=dept)


@pytest.fixture(scope="module")
def dash_2023(sample: ws.Workspace) -> Dashboard:
    return dashboard_of(sample, 2023)


def render(dashboard: Dashboard) -> str:
    """_dashboard.html as a page would include it."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("pufa.web"), autoescape=True)
    return env.get_template("_dashboard.html").render(dashboard=dashboard, charts=charts)


def test_values_equal_the_summary_json(sample: ws.Workspace, dash_2023: Dashboard) -> None:
    """Every 2023 progress value is `pufa summary --year 2023 --json`'s held figure."""
    rows = json.loads(invoke_ok(sample.root, "summary", "--year", "2023", "--json").stdout)["rows"]
    assert {p.key: amounts.json_value(p.value) for p in dash_2023.progress} == {
        r["indicator"]: r["held"] for r in rows
    }


def test_behind_pace_rows_come_first(sample: ws.Workspace) -> None:
    """Mid-2024 (part-year log) the rows run behind, on track, met, no data, no target."""
    found = dashboard_of(sample, 2024)
    order = [PACE_ORDER.index(p.pace) for p in found.progress]
    assert order == sorted(order)
    assert found.progress[0].pace is Pace.BEHIND


def test_the_heat_map_has_the_countys_18_townships(
    sample: ws.Workspace, dash_2023: Dashboard
) -> None:
    """One heat-map row per township of the county, with its Chinese name, in the county's order."""
    county = sample.county()
    assert len(dash_2023.heat.rows) == 18
    assert [r.name for r in dash_2023.heat.rows] == [t.name for t in county.townships]


def test_the_heat_map_leaves_out_indicators_without_a_township_meaning(
    dash_2023: Dashboard,
) -> None:
    """Per-village averages and distinct counts have no per-township share: not in the heat map."""
    keys = {k for k, _ in dash_2023.heat.columns}
    assert "literate-per-village" not in keys
    assert "school-counsellors" not in keys
    assert "seven-into-sessions" in keys


def test_heat_values_equal_the_tallys_by_township(sample: ws.Workspace) -> None:
    """Each heat-map value is what `tally.by_township` (`summary --by township`) counts."""
    data = year_of(sample, 2023)
    chosen = heat_targets(data.targets, data.indicators)
    table = tally.by_township(chosen, data.indicators, data.cells, data.distinct, data.county)
    found = heat(data.targets, data.indicators, data.cells, data.county)
    mine = [tuple(c.value for c in row.cells) for row in found.rows]
    assert [str(v) for v in mine] == [str(values) for _, values in table.rows]


def test_heat_levels_follow_the_share() -> None:
    """Nothing done is level 0; reaching the township's share is level 4."""
    assert [level(v, 10) for v in (0, 1, 6, 9, 10, 25)] == [0, 1, 2, 3, 4, 4]
    assert level(math.nan, 10) == 0


def test_month_bars_count_held_records(sample: ws.Workspace, dash_2023: Dashboard) -> None:
    """Twelve bars whose held records add up to the year's held records."""
    with sample.open() as store:
        cells = store.cube(2023, "2023-12-31")
    held = sum(int(c["records"]) for c in cells if c["status"] == "held")
    assert [m.month for m in dash_2023.months] == list(range(1, 13))
    assert sum(m.held for m in dash_2023.months) == held


def test_one_township_has_its_own_row_only(sample: ws.Workspace) -> None:
    """A township's dashboard names it and shows its row of the heat map alone."""
    found = dashboard_of(sample, 2023, township="禾丰乡")
    assert found.scope == "禾丰布依族苗族乡"
    assert [r.name for r in found.heat.rows] == ["禾丰布依族苗族乡"]


def test_a_department_has_no_heat_map(sample: ws.Workspace) -> None:
    """A department's dashboard counts its own records and has no township map."""
    found = dashboard_of(sample, 2023, dept="依法治县办")
    assert found.scope == "县委依法治县办"
    assert found.heat.rows == ()


def test_township_and_department_together_are_refused(sample: ws.Workspace) -> None:
    """Asking for a township and a department at once is an InvalidInput."""
    from pufa.errors import InvalidInput

    with pytest.raises(InvalidInput):
        dashboard_of(sample, 2023, township="禾丰乡", dept="依法治县办")


@pytest.mark.usefixtures("today")
def test_the_current_year_works_on_an_empty_workspace(workspace: ws.Workspace) -> None:
    """2026 on a fresh workspace (no records, no targets): a valid, empty dashboard, no division by 0."""
    found = dashboard_of(workspace, 2026)
    assert found.as_of == pendulum.Date(2026, 11, 29)
    assert all(m.held == 0 for m in found.months)
    assert found.heat.rows == ()
    assert all(p.pace is Pace.NO_TARGET for p in found.progress)
    html5lib.HTMLParser(strict=True).parseFragment(render(found))


def test_the_partial_is_valid_html(dash_2023: Dashboard) -> None:
    """_dashboard.html renders to HTML html5lib reads strictly, with its SVG charts well-formed."""
    text = render(dash_2023)
    html5lib.HTMLParser(strict=True).parseFragment(text)
    start = text.index("<svg", text.index('<figure class="month-chart">'))
    ET.fromstring(text[start : text.index("</svg>", start) + 6])


def test_the_partial_marks_the_demo(dash_2023: Dashboard) -> None:
    """The demo workspace's dashboard says 示例 in a banner."""
    assert 'class="demo-banner"' in render(dash_2023)
    assert "示例" in render(dash_2023)


def test_the_partial_lists_behind_pace_first(sample: ws.Workspace) -> None:
    """In the page, the first progress row is a behind-pace one."""
    text = render(dashboard_of(sample, 2024))
    first = text.index('class="progress-row')
    assert text[first:].startswith('class="progress-row pace-behind"')


def test_the_partial_has_no_inline_style_or_script(dash_2023: Dashboard) -> None:
    """Nothing the CSP would block: no style attribute, no script."""
    text = render(dash_2023)
    assert "style=" not in text
    assert "<script" not in text
