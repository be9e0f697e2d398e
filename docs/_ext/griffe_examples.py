"""griffe extension for the API reference: a Google ``Example:`` section is an examples section.

griffe reads only ``Examples:`` as examples (doctest blocks rendered as code); scopereg's
docstrings say ``Example:``, which griffe would render as an admonition of Markdown text.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

EXAMPLE_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = EXAMPLE_HEADING.sub(r"\1Examples:", obj.docstring.value)
