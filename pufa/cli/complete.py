"""Shell completion of the county's names: townships, kinds and venues, for ``pufa
--install-completion`` (bash, zsh). :mod:`pufa.cli.frame` attaches :data:`COMPLETIONS` to the
parameters they name; each reads the workspace's county profile only when the shell asks."""

from collections.abc import Callable, Iterable

from typer import _click

from pufa import workspace as ws
from pufa.errors import PufaError
from pufa.load import load_county
from pufa.model import County, Kind
from pufa.names import fold


def _county(ctx: _click.Context) -> County | None:
    """The county of the workspace the command line names (``-w``), else of the current
    directory's, else the bundled default; None when it cannot be read (completion stays quiet)."""
    chosen = ctx.find_root().params.get("workspace")
    try:
        try:
            return ws.find(chosen).county()
        except PufaError:
            return load_county(ws.campaigns_dir() / "kaiyang" / ws.PROFILE)
    except (PufaError, OSError):
        return None


def _matching(choices: Iterable[tuple[str, Iterable[str]]], incomplete: str) -> list[str]:
    """Each choice's name when the name or one of its other spellings starts with ``incomplete``."""
    typed = fold(incomplete)
    found: list[str] = []
    for name, spellings in choices:
        if name not in found and any(fold(s).startswith(typed) for s in (name, *spellings)):
            found.append(name)
    return found


def townships(ctx: _click.Context, _param: _click.Parameter, incomplete: str) -> list[str]:
    """The county's townships by full name (禾 → 禾丰乡); short names and aliases match too."""
    county = _county(ctx)
    if county is None:
        return []
    return _matching(((t.name, t.names) for t in county.townships), incomplete)


def kinds(_ctx: _click.Context, _param: _click.Parameter, incomplete: str) -> list[str]:
    """The activity kinds: slugs for a Latin prefix, Chinese names otherwise."""
    latin = incomplete.isascii()
    return _matching(((k.slug if latin else k.label, (k.slug, k.label)) for k in Kind), incomplete)


def venues(ctx: _click.Context, _param: _click.Parameter, incomplete: str) -> list[str]:
    """The county's venues (学校, 社区 …) by name; slugs and synonyms match too."""
    county = _county(ctx)
    if county is None:
        return []
    return _matching(((v.name, (v.slug, *v.synonyms)) for v in county.venues), incomplete)


#: parameter name → its completion
COMPLETIONS: dict[str, Callable[[_click.Context, _click.Parameter, str], list[str]]] = {
    "township": townships,
    "kind": kinds,
    "venue": venues,
}
