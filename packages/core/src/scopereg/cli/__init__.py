"""The ``scopereg`` command line: what is installed, what a name means, what a config builds.

Commands:

- ``tree [--format table|mermaid|dot]``: every scope, the distribution declaring it, its
  registries and their sizes (or the scope graph, as a mermaid flowchart or a dot digraph);
- ``list REGISTRY [PATTERN] [--scope S]``: registered names, their scope and definition;
- ``which REGISTRY NAME [--scope S]``: what a name resolves to, and why;
- ``build CONFIG``, ``check CONFIG`` and ``explain CONFIG`` (``--registry R``, ``--scope
  S``, ``--key K``): build a config file, validate it without building, or draw it as a
  tree of what each node resolves to;
- ``doctor``: duplicate names, forced replacements, broken entry points and locations,
  entry points and registries that break the scope contract;
- ``new NAME [--parent SCOPE] [--registries R,R] [--dir DIR]``: write a new package
  declaring scope NAME, shaped like mmalpha.

``tree``, ``list`` and ``which`` answer from :func:`scopereg.static_index`, which reads
the registries' locations from source without importing them; ``--import`` imports them
and answers from the live registries.

Every command takes ``--json``. Tables are drawn by :func:`scopereg.render_table`: rich
when it is installed (extra ``scopereg[cli]``), plain text otherwise, folded to fit a
terminal. With ``--json`` the output is always one JSON document, failures included
(``{"error": message, "error_type": exception class, ...}``). Exit status: 0 when all is
well, 1 when problems were found or a name was not found, 2 for a usage error, 3 for an
unexpected error (its traceback with ``--debug``). ``import scopereg`` never imports this
package, and this package uses scopereg's public API only; rich is imported only to
render a table.
"""

from __future__ import annotations

import argparse

from scopereg import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._output import Report

_EPILOG = "exit status: 0 ok; 1 problems found or name not found; 2 usage error; 3 unexpected error"


def _common_options() -> argparse.ArgumentParser:
    """The options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    common.add_argument(
        "--debug", action="store_true", help="print the traceback of an unexpected error (to stderr)"
    )
    common.add_argument(
        "--declare-scope",
        metavar="SCOPE=MODULE",
        action="append",
        default=[],
        help="declare a scope of a package without an entry point, as a program would with "
        "scopereg.declare_scope (repeatable)",
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="scopereg",
        description="Inspect scopereg registries and the scopes of installed distributions; "
        "build and check config files.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"scopereg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help, description=help, epilog=_EPILOG)

    _inspection_commands(command)
    for name, help_text in (
        ("build", "build every node of a config file and print the results"),
        ("check", "validate a config file without building: every problem with its path"),
        ("explain", "a config file as a tree: each node's scope, registry, callable and file:line"),
    ):
        config = command(name, help_text)
        config.add_argument("config", metavar="CONFIG", help="a .py, .json, .toml, .yaml or .yml file")
        config.add_argument(
            "--registry",
            metavar="R",
            help="resolve every node in root registry R (default: by top-level key)",
        )
        config.add_argument("--scope", metavar="S", help="use S as the default scope")
        config.add_argument(
            "--key", metavar="K", action="append", default=[], help="only top-level key K (repeatable)"
        )
    command("doctor", "what would surprise a user: shadowed names, force, broken entry points")
    from ._new_arguments import add_arguments  # not _new: only `new` pays for the generator's imports

    add_arguments(command("new", "write a new package declaring scope NAME, shaped like mmalpha"))
    return parser


def _inspection_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """tree, list and which: what is installed, answered from the static index or, ``--import``, live."""
    tree = command("tree", "every installed scope, its registries and the number of names in each")
    tree.add_argument(
        "--format",
        choices=("table", "mermaid", "dot"),
        default="table",
        help="table (default), or the scope graph as a mermaid flowchart or a Graphviz dot digraph",
    )
    listing = command("list", "registered names matching a pattern, with their scope and definition")
    listing.add_argument("registry", metavar="REGISTRY", help="a root registry: MODELS, optimizers, model...")
    listing.add_argument(
        "pattern", metavar="PATTERN", nargs="?", default="*", help="shell wildcard (default *)"
    )
    listing.add_argument("--scope", metavar="S", help="only the registry of scope S in that tree")
    which = command("which", "what NAME resolves to from a registry, and why")
    which.add_argument("registry", metavar="REGISTRY", help="a root registry: MODELS, optimizers, model...")
    which.add_argument("name", metavar="NAME", help="a name or a scoped key (mmalpha.LogSoftmax)")
    which.add_argument(
        "--scope", metavar="S", help="resolve from the registry of scope S, as a build in S would"
    )
    for inspecting in (tree, listing, which):
        inspecting.add_argument(
            "--import",
            dest="load",
            action="store_true",
            help="import every location and answer from the live registries (default: read the source)",
        )


def _run(args: argparse.Namespace) -> Report:
    from . import _commands, _configs

    if args.command in ("tree", "list", "which"):
        return _inspect(args)
    if args.command == "doctor":
        return _commands.doctor()
    if args.command == "explain":
        from ._explain import explain

        return explain(args.config, args.registry, args.scope, args.key)
    if args.command == "new":
        from ._new import new

        return new(args.name, args.parent, args.registries, args.dir)
    run = _configs.build if args.command == "build" else _configs.check
    return run(args.config, args.registry, args.scope, args.key)


def _inspect(args: argparse.Namespace) -> Report:
    """tree, list and which: from the static index, or from the live registries with ``--import``."""
    if args.command == "tree" and args.format != "table":
        from ._graph import graph
        from ._output import USAGE, CliError

        if args.json:
            raise CliError(f"--format {args.format} prints a graph, --json prints data: give one", USAGE)
        return graph(args.format, imported=args.load)
    from . import _commands, _indexed

    if args.command == "tree":
        return _commands.tree() if args.load else _indexed.tree()
    if args.command == "list":
        listing = _commands.list_names if args.load else _indexed.list_names
        return listing(args.registry, args.pattern, args.scope)
    which = _commands.which if args.load else _indexed.which
    return which(args.registry, args.name, args.scope)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Example:
        >>> from scopereg.cli import main
        >>> main(["which", "MODELS"])  # NAME is missing: a usage error
        2
    """
    from ._output import CliError, emit, unexpected

    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        _declare(args.declare_scope)
        report = _run(args)
    except CliError as exc:
        report = exc.report()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a plug-in or a bug: still one answer, JSON with --json
        report = unexpected(exc, debug=args.debug)
    try:
        return emit(report, as_json=args.json)
    except BrokenPipeError:  # `scopereg list MODELS | head`: the reader left, which is fine
        _silence_stdout()
        return 1


def _declare(declarations: list[str]) -> None:
    """Apply ``--declare-scope SCOPE=MODULE`` options (a usage error when malformed)."""
    from scopereg import declare_scope

    from ._output import USAGE, CliError

    for declaration in declarations:
        scope, equals, module = declaration.partition("=")
        try:
            if not equals:
                raise ValueError("write SCOPE=MODULE, e.g. mmdet=mmdet.registry")
            declare_scope(scope.strip(), module.strip())
        except (TypeError, ValueError) as exc:
            raise CliError(f"--declare-scope {declaration!r}: {exc}", USAGE) from exc


def _silence_stdout() -> None:
    """Point stdout at devnull, so that the interpreter's last flush does not fail again."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


__all__ = ["main"]
