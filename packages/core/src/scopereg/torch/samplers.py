"""Register the torch.utils.data samplers into DATA_SAMPLERS."""

from __future__ import annotations

from torch.utils.data import distributed, sampler

from scopereg._roots import DATA_SAMPLERS

from ._common import register_classes, torch

register_classes(DATA_SAMPLERS, [sampler, distributed], torch.utils.data.Sampler)
