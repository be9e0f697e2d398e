"""mmalpha's transforms, applied to one sample's features."""

from __future__ import annotations

import torch

from .registry import TRANSFORMS


@TRANSFORMS.register_module()
class Standardize:
    """``(x - mean) / std``, elementwise.

    Example:
        >>> import torch
        >>> from mmalpha.registry import TRANSFORMS
        >>> TRANSFORMS.build(dict(type="Standardize", mean=1.0, std=2.0))(torch.tensor([3.0])).tolist()
        [1.0]
    """

    def __init__(self, mean: float = 0.0, std: float = 1.0) -> None:
        if std <= 0:
            raise ValueError(f"Standardize: std must be positive, got {std}")
        self.mean = mean
        self.std = std

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def __repr__(self) -> str:
        return f"Standardize(mean={self.mean}, std={self.std})"
