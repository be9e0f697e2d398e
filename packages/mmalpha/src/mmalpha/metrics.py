"""mmalpha's metrics."""

from __future__ import annotations

import torch

from .registry import METRICS


@METRICS.register_module()
class Accuracy:
    """Top-1 accuracy over the batches given to :meth:`process`.

    Example:
        >>> import torch
        >>> from mmalpha.registry import METRICS
        >>> metric = METRICS.build(dict(type="Accuracy"))
        >>> metric.process(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 1]))
        >>> metric.compute()
        0.5
    """

    def __init__(self) -> None:
        self.correct = 0
        self.total = 0

    def reset(self) -> None:
        self.correct = self.total = 0

    def process(self, scores: torch.Tensor, targets: torch.Tensor) -> None:
        self.correct += int((scores.argmax(dim=-1) == targets).sum())
        self.total += len(targets)

    def compute(self) -> float:
        if self.total == 0:
            raise ValueError("Accuracy.compute() before any process() call: nothing to measure")
        return self.correct / self.total
