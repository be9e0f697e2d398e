"""``python -m scopereg``: the ``scopereg`` command line (same as ``python -m scopereg.cli``)."""

from __future__ import annotations

import sys

from scopereg.cli import main

if __name__ == "__main__":
    sys.exit(main())
