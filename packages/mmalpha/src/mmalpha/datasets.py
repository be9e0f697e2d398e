"""mmalpha's datasets: synthetic data generated in-package, no download."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.utils.data import Dataset

from .registry import DATASETS, TRANSFORMS


@DATASETS.register_module()
class SyntheticBlobs(Dataset[tuple[torch.Tensor, int]]):
    """Gaussian blobs, one per class, drawn from a seeded generator.

    The class centres depend on ``seed`` only, so a ``"train"`` and a ``"val"`` split of
    the same seed share them and differ in their samples.

    Args:
        num_samples: how many samples.
        num_features: the dimension of each sample.
        num_classes: how many blobs (classes).
        spread: the standard deviation of each blob around its centre.
        seed: fixes the centres and the samples.
        split: ``"train"`` or ``"val"``.
        transforms: transform configs (built from mmalpha's TRANSFORMS) or callables,
            applied to each sample's features in order.

    Example:
        >>> from mmalpha.registry import DATASETS
        >>> data = DATASETS.build(dict(type="SyntheticBlobs"))
        >>> len(data), data[0][0].shape, data[0][1] in range(3)
        (600, torch.Size([8]), True)
    """

    def __init__(
        self,
        num_samples: int = 600,
        num_features: int = 8,
        num_classes: int = 3,
        *,
        spread: float = 1.0,
        seed: int = 0,
        split: str = "train",
        transforms: Sequence[dict[str, Any] | Callable[[torch.Tensor], torch.Tensor]] = (),
    ) -> None:
        if split not in ("train", "val"):
            raise ValueError(f"SyntheticBlobs: split must be 'train' or 'val', got {split!r}")
        if num_samples < 1 or num_classes < 2 or num_features < 1:
            raise ValueError(
                "SyntheticBlobs: need num_samples >= 1, num_features >= 1 and num_classes >= 2, got "
                f"{num_samples}, {num_features}, {num_classes}"
            )
        centres = torch.randn(num_classes, num_features, generator=torch.Generator().manual_seed(seed)) * 3
        samples = torch.Generator().manual_seed(seed * 2 + (split == "val") + 1)
        self.targets = torch.randint(num_classes, (num_samples,), generator=samples)
        noise = torch.randn(num_samples, num_features, generator=samples) * spread
        self.features = centres[self.targets] + noise
        self.num_classes = num_classes
        self.transforms = [t if callable(t) else TRANSFORMS.build(t) for t in transforms]

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        x = self.features[index]
        for transform in self.transforms:
            x = transform(x)
        return x, int(self.targets[index])
