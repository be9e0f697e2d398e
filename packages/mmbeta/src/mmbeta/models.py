"""mmbeta's models: a network composed from configs, and its own LogSoftmax."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .registry import MODELS


@MODELS.register_module()
class LogSoftmax(nn.Module):
    """Log-probabilities of ``x / temperature``: mmbeta's own, same name as mmalpha's.

    Example:
        >>> import torch
        >>> from mmbeta.registry import MODELS
        >>> layer = MODELS.build(dict(type="LogSoftmax", temperature=2.0))
        >>> type(layer).__module__, layer.temperature
        ('mmbeta.models', 2.0)
    """

    def __init__(self, dim: int = -1, temperature: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f"LogSoftmax: temperature must be positive, got {temperature}")
        self.dim = dim
        self.temperature = temperature

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(x / self.temperature, dim=self.dim)


def _module(part: dict[str, Any] | nn.Module) -> nn.Module:
    """A part given as a config (built here) or already built (by a recursive build)."""
    if isinstance(part, nn.Module):
        return part
    module: nn.Module = MODELS.build(part)
    return module


@MODELS.register_module()
class BetaNet(nn.Module):
    """``out(head(backbone(x)))``, each part built from its config through mmbeta's MODELS.

    Parts may also come built (``MODELS.build(cfg, recursive=True)`` builds them first).

    Parts resolve in mmbeta first, then in the root; a scoped key (``"mmalpha.MLP"``) or a
    ``_scope_`` takes them from another library.

    Example:
        >>> import torch
        >>> from mmbeta.registry import MODELS
        >>> net = MODELS.build(dict(
        ...     type="BetaNet",
        ...     backbone=dict(type="mmalpha.MLP", in_features=4, hidden_features=8),
        ...     head=dict(type="Linear", in_features=8, out_features=3),
        ... ))
        >>> net(torch.zeros(2, 4)).shape
        torch.Size([2, 3])
    """

    def __init__(
        self,
        backbone: dict[str, Any] | nn.Module,
        head: dict[str, Any] | nn.Module,
        out: dict[str, Any] | nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.backbone = _module(backbone)
        self.head = _module(head)
        self.out = _module({"type": "LogSoftmax"} if out is None else out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.out(self.head(self.backbone(x)))
        return out
