"""pufa (普法): plan, log and tally a county's legal-publicity work.

The library core is :mod:`pufa.model` (typed records), :mod:`pufa.records` (log, edit, void),
:mod:`pufa.store` (the audited store) and :mod:`pufa.workspace`; ``pufa.cli`` is the command line.
"""

__version__ = "0.1.0"
