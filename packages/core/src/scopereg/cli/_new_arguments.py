"""The arguments of ``scopereg new``, apart from the generator.

Every command line builds the whole parser, ``new``'s arguments included; the generator
(``_new``, its templates in ``_scaffold``) is only imported to run ``new``, so that
``scopereg tree`` and the other commands do not pay for its imports (about 20 ms).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

#: The registries of a package when ``--registries`` is not given: mmalpha's.
DEFAULT_REGISTRIES = "MODELS,DATASETS,TRANSFORMS,METRICS"
#: The parent scope by default: the root registries'.
ROOT_SCOPE = "scopereg"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``scopereg new``."""
    parser.add_argument("name", metavar="NAME", help="the distribution, import package and scope name")
    parser.add_argument(
        "--parent",
        metavar="SCOPE",
        default=ROOT_SCOPE,
        help="make the registries children of SCOPE's registries, where it has one (default: the roots)",
    )
    parser.add_argument(
        "--registries",
        metavar="R,R",
        default=DEFAULT_REGISTRIES,
        help=f"the root registries to have children of, comma-separated (default: {DEFAULT_REGISTRIES})",
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        help="the folder to write NAME/ into (default: packages/ if the current folder has one, else .)",
    )
