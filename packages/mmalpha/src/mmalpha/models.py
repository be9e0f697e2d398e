"""mmalpha's models: LogSoftmax, an MLP feature extractor and an MLP classifier."""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

from .registry import MODELS


@MODELS.register_module()
class LogSoftmax(nn.Module):
    """Log-probabilities along ``dim`` (the last dimension when None).

    Example:
        >>> import torch
        >>> from mmalpha.registry import MODELS
        >>> layer = MODELS.build(dict(type="LogSoftmax", dim=1))
        >>> layer(torch.zeros(1, 2)).exp().tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(x, dim=-1 if self.dim is None else self.dim)


@MODELS.register_module()
class MLP(nn.Module):
    """Linear layers with an activation built from ``act_cfg`` through the registry.

    ``act_cfg`` resolves like any key of mmalpha's MODELS: in mmalpha first, then in the
    root (``dict(type="RReLU")`` is torch's), or anywhere with a scoped key.

    Example:
        >>> import torch
        >>> from mmalpha.registry import MODELS
        >>> mlp = MODELS.build(dict(type="MLP", in_features=4, hidden_features=(8, 8)))
        >>> mlp(torch.zeros(2, 4)).shape
        torch.Size([2, 8])
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: int | tuple[int, ...] = 32,
        act_cfg: dict[str, Any] | nn.Module | None = None,
    ) -> None:
        super().__init__()
        widths = (hidden_features,) if isinstance(hidden_features, int) else tuple(hidden_features)
        act_cfg = {"type": "ReLU"} if act_cfg is None else act_cfg
        layers: list[nn.Module] = []
        for width in widths:
            layers += [nn.Linear(in_features, width), _activation(act_cfg)]
            in_features = width
        self.layers = nn.Sequential(*layers)
        self.out_features = in_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features: torch.Tensor = self.layers(x)
        return features


def _activation(act_cfg: dict[str, Any] | nn.Module) -> nn.Module:
    """A fresh activation: built from its config, or a copy of an already built one.

    Accepting both lets the MLP work with plain builds (it builds ``act_cfg`` itself) and
    with ``recursive=True`` builds (which hand it the built module).
    """
    if isinstance(act_cfg, nn.Module):
        return copy.deepcopy(act_cfg)
    module: nn.Module = MODELS.build(act_cfg)
    return module


@MODELS.register_module()
class MLPClassifier(nn.Module):
    """An MLP, a linear head and mmalpha's LogSoftmax: log-probabilities per class.

    Example:
        >>> import torch
        >>> from mmalpha.registry import MODELS
        >>> model = MODELS.build(dict(type="MLPClassifier", in_features=4, num_classes=3))
        >>> model(torch.zeros(5, 4)).shape
        torch.Size([5, 3])
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden_features: int | tuple[int, ...] = 32,
        act_cfg: dict[str, Any] | nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.backbone = MLP(in_features, hidden_features, act_cfg)
        self.head = nn.Linear(self.backbone.out_features, num_classes)
        self.log_softmax = LogSoftmax(dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        log_probs: torch.Tensor = self.log_softmax(self.head(self.backbone(x)))
        return log_probs
