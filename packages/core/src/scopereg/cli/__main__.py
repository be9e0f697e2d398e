"""``python -m scopereg.cli``: the ``scopereg`` command line."""

from __future__ import annotations

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
