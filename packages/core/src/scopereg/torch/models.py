"""Register torch.nn layers into MODELS (location of the root ``MODELS``)."""

from __future__ import annotations

from torch.nn.modules import (
    activation,
    batchnorm,
    conv,
    dropout,
    instancenorm,
    linear,
    loss,
    normalization,
    pooling,
    sparse,
)

from scopereg._roots import MODELS

from ._common import register_classes, torch

register_classes(
    MODELS,
    [activation, batchnorm, normalization, instancenorm, conv, pooling, dropout, linear, sparse, loss],
    torch.nn.Module,
)
