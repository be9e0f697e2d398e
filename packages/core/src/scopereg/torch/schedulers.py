"""Register every torch.optim.lr_scheduler scheduler into PARAM_SCHEDULERS."""

from __future__ import annotations

from torch.optim import lr_scheduler

from scopereg._roots import PARAM_SCHEDULERS

from ._common import register_classes

# LRScheduler is the abstract base; ReduceLROnPlateau derives from it in recent torch.
register_classes(PARAM_SCHEDULERS, [lr_scheduler], object, exclude=["LRScheduler"])
