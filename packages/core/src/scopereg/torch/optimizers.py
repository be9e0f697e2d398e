"""Register every torch.optim optimizer into OPTIMIZERS (location of the root)."""

from __future__ import annotations

from scopereg._roots import OPTIMIZERS

from ._common import register_classes, torch

register_classes(OPTIMIZERS, [torch.optim], torch.optim.Optimizer, defined_here=False)
