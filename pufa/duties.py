"""Responsible units and their lists (谁执法谁普法) as plain data, no I/O.

A :class:`Unit` is one department's 普法责任清单 for a year: its duties (text), the key laws it
publicises, and its yearly tasks — :class:`~pufa.targets.Target`\\ s of indicators, counted over
that department's records only — and its year-end evaluation sheet (履职评议): :class:`Item`\\ s
with weights summing to :data:`SHEET_TOTAL`, each computed from a task or scored by the office.
:mod:`pufa.load.duties` reads the lists from ``campaigns/<county>/duties-<year>.toml``;
:mod:`pufa.unitwork` tallies them and :mod:`pufa.review` scores them.
"""

from __future__ import annotations

from pufa.model import Department
from pufa.targets import Target, TargetSet
from pufa.value import valueclass

#: what the weights of a unit's evaluation sheet add up to
SHEET_TOTAL = 100


@valueclass
class Item:
    """One item of a unit's evaluation sheet, worth up to ``weight`` points.

    With ``task`` (an indicator key of the unit's tasks) it is computed: ``weight`` × the task's
    completion rate, capped at 100%; without, the office scores it (0 to ``weight``).
    """

    key: str
    name: str
    weight: float
    task: str | None = None

    @property
    def computed(self) -> bool:
        return self.task is not None


@valueclass
class Unit:
    """One department's list: duties, key laws, yearly tasks (targets scoped to its records) and
    its evaluation sheet (empty: the unit is not evaluated)."""

    dept: Department
    duties: str
    laws: tuple[str, ...]
    tasks: tuple[Target, ...]
    sheet: tuple[Item, ...] = ()

    def item(self, key: str) -> Item | None:
        """The sheet's item with this key or name, or None."""
        return next((i for i in self.sheet if key in (i.key, i.name)), None)


@valueclass
class Duties:
    """A year's responsibility lists, in the order of the file."""

    year: int
    source: str
    units: tuple[Unit, ...]
    path: str = ""

    def unit(self, slug: str) -> Unit | None:
        """The list of the department with this slug, or None when it has none this year."""
        return next((u for u in self.units if u.dept.slug == slug), None)

    def targets(self, unit: Unit) -> TargetSet:
        """A unit's tasks as a :class:`TargetSet`, so :func:`pufa.tally.summarise` counts them."""
        return TargetSet(self.year, self.source, "", unit.tasks, path=self.path)
