"""Register torch's ``default_collate`` into FUNCTIONS."""

from __future__ import annotations

from torch.utils.data import default_collate

from scopereg._roots import FUNCTIONS

FUNCTIONS.register_module(module=default_collate)
