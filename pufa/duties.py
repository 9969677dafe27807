"""Responsible units and their lists (谁执法谁普法) as plain data, no I/O.

A :class:`Unit` is one department's 普法责任清单 for a year: its duties (text), the key laws it
publicises, and its yearly tasks — :class:`~pufa.targets.Target`\\ s of indicators, counted over
that department's records only. :mod:`pufa.load.duties` reads them from
``campaigns/<county>/duties-<year>.toml``; :mod:`pufa.unitwork` tallies them.
"""

from __future__ import annotations

from pufa.model import Department
from pufa.targets import Target, TargetSet
from pufa.value import valueclass


@valueclass
class Unit:
    """One department's list: duties, key laws, and yearly tasks (targets scoped to its records)."""

    dept: Department
    duties: str
    laws: tuple[str, ...]
    tasks: tuple[Target, ...]


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
