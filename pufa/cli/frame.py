"""The click classes under every pufa command: Chinese usage errors and help, grouped command lists,
and shell completion of the county's names.

typer builds click commands from the app; the root group is a :class:`PufaGroup` (``cls`` in
:data:`pufa.cli.registry.SETTINGS`), and when it is built it gives every command below it a
:class:`PufaContext` — whose formatter, :class:`PufaFormatter`, writes help through the catalogue
(:mod:`pufa.cli.messages`) and wraps it by display width — and the completions of
:data:`pufa.cli.complete.COMPLETIONS` to the parameters they name. Every click error raised while
the command line is parsed or run passes :func:`translated`, which turns it into a
:class:`Shown` error that prints in Chinese.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import typer
from typer import _click
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._completion_shared import install
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperGroup

from pufa.cli import messages
from pufa.cli.complete import COMPLETIONS


class PufaFormatter(_click.HelpFormatter):
    """click's help formatter, in Chinese and measured in display columns (a CJK character is two)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, messages.usage_args(args), f"{messages.text('Usage:')} ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(messages.text(heading))

    def write_text(self, text: str) -> None:
        """``text`` re-flowed by paragraph, an example (``例:…``) on a line of its own."""
        indent = " " * self.current_indent
        for number, paragraph in enumerate(text.split("\n\n")):
            if number:
                self.write("\n")
            flowed = messages.flow(paragraph).replace("例:", "\n例:").lstrip("\n")
            for line in messages.wrap(flowed, self.width - self.current_indent):
                self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(messages.metavars(first), messages.help_line(second)) for first, second in rows]
        longest = max((messages.width(first) for first, _ in rows), default=0)
        column = min(longest, col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if messages.width(first) <= column - col_spacing:
                self.write(" " * (column - messages.width(first)))
            else:
                self.write("\n" + " " * (column + self.current_indent))
            lines = messages.wrap(second, max(self.width - column - self.current_indent, 20))
            pad = " " * (column + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line for line in lines[1:])]) + "\n")


class PufaContext(_click.Context):
    """A click context whose help is written by :class:`PufaFormatter`."""

    formatter_class = PufaFormatter


class Shown(ClickException):
    """A click error, shown in Chinese: the usage line and where help is for a usage error, then
    ``错误:`` and the message (red, like pufa's own errors)."""

    def __init__(self, original: ClickException) -> None:
        super().__init__(original.format_message())
        self.original = original
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.original.ctx if isinstance(self.original, UsageError) else None
        if ctx is not None:
            typer.echo(ctx.get_usage(), err=True)
            if ctx.command.get_help_option(ctx) is not None:
                hint = f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help."
                typer.echo(messages.text(hint) + "\n", err=True)
        error = messages.text("Error:")
        typer.secho(f"{error}{messages.text(self.message)}", fg="red", err=True)


@contextmanager
def translated() -> Iterator[None]:
    """Let every click error out as a :class:`Shown` one (the help that no arguments ask for is
    already Chinese); an abort (Ctrl-C or Ctrl-D at a prompt) says 已中止 and exits 1."""
    try:
        yield
    except (Shown, NoArgsIsHelpError):
        raise
    except ClickException as exc:
        raise Shown(exc) from None
    except (typer.Abort, EOFError):
        typer.secho(messages.text("Aborted!"), fg="red", err=True)
        raise typer.Exit(1) from None


def summary(command: _click.Command) -> str:
    """A command's one-line summary: the first sentence of its help, before any example (例:)."""
    found = (command.short_help or command.help or "").partition("\f")[0]
    first = found.partition("例:")[0].partition("。")
    return " ".join(f"{first[0]}{first[1]}".split())


class PufaGroup(TyperGroup):
    """A typer group whose commands (and theirs) have Chinese help and errors and complete the
    county's names; its command list is grouped by :attr:`groups` (job title → command names),
    any command in no group listed after them under 命令."""

    context_class = PufaContext
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _prepare(self)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: _click.Context | None = None,
        **extra: Any,
    ) -> _click.Context:
        for param in self.params:  # typer appends its completion options after building the group
            if param.name == "install_completion":
                param.callback = _install_completion
        with translated():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: _click.Context) -> Any:
        with translated():
            return super().invoke(ctx)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        shown = {name: self.commands[name] for name in self.list_commands(ctx)}
        shown = {name: c for name, c in shown.items() if not c.hidden}
        grouped = {name for _, names in self.groups for name in names}
        sections = [*self.groups, ("Commands", tuple(n for n in shown if n not in grouped))]
        for title, names in sections:
            rows = [(name, summary(shown[name])) for name in names if name in shown]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows, col_max=12)


def _install_completion(ctx: _click.Context, param: _click.Parameter, value: Any) -> Any:
    """typer's ``--install-completion``, saying what it did in Chinese."""
    if not value or ctx.resilient_parsing:
        return value
    shell, path = install(shell=value) if isinstance(value, str) else install()
    name = getattr(shell, "value", shell)  # typer may hand back its Shells enum
    typer.secho(messages.text(f"{name} completion installed in {path}"), fg="green")
    typer.echo(messages.text("Completion will take effect once you restart the terminal"))
    raise typer.Exit(0)


def _prepare(command: _click.Command) -> None:
    """Give ``command`` (and every command under it) pufa's context and the county's completions."""
    command.context_class = PufaContext
    for param in command.params:
        if isinstance(param, TyperArgument) and param.metavar is None:
            param.metavar = _argument_metavar(param)
        complete = COMPLETIONS.get(param.name or "")
        if complete is not None:
            # the attribute click's own ``shell_complete=`` argument sets (typer passes none)
            param._custom_shell_complete = complete
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _prepare(sub)


def _argument_metavar(argument: TyperArgument) -> str:
    """How help shows an argument that names no metavar: its choices (``score|history``), else its
    name in capitals (``FILE``, ``DIRECTORY``), like ``--year <整数>`` — never a lowercase English
    word that reads as prose."""
    if isinstance(argument.type, TyperChoice):
        return "|".join(str(getattr(choice, "value", choice)) for choice in argument.type.choices)
    return (argument.name or "").upper()
