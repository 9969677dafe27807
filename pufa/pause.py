"""A pause of the cyclic garbage collector, for stretches that only make long-lived objects."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic GC off for a stretch that only makes long-lived, acyclic objects (the CLI's
    imports in :mod:`pufa.cli.entry`; an import's records in ``pufa ledger import``), as it was
    before once the stretch ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
