"""The console script's entry: import the CLI with the cyclic GC paused, then run it.

Importing pufa and its libraries allocates many long-lived objects (classes, enums, generated
attrs methods); collecting cycles among them during start-up is wasted work for a short-lived
command. The collector is back on before any command runs, so memory use is unaffected.
"""

import gc


def main() -> None:
    """Console-script entry point (``pufa``)."""
    gc.disable()
    try:
        from pufa.cli.app import main as run
    finally:
        gc.enable()
    run()
