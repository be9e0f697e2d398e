"""Register torch's model wrappers into MODEL_WRAPPERS (location of the root, as in MMEngine).

``DistributedDataParallel`` and ``DataParallel`` always; ``FullyShardedDataParallel``
where this torch build has ``torch.distributed`` (some builds, such as a few macOS and
mobile ones, do not). A wrapper takes the built model through ``default_args``:
``MODEL_WRAPPERS.build(dict(type="DistributedDataParallel"), default_args=dict(module=model))``.
"""

from __future__ import annotations

from torch.nn.parallel import DataParallel, DistributedDataParallel

from scopereg._roots import MODEL_WRAPPERS

from ._common import torch

MODEL_WRAPPERS.register_module(module=DistributedDataParallel)
MODEL_WRAPPERS.register_module(module=DataParallel)

if torch.distributed.is_available():
    from torch.distributed.fsdp import FullyShardedDataParallel

    MODEL_WRAPPERS.register_module(module=FullyShardedDataParallel)
