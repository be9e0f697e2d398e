"""PyTorch registrations for the root registries (extra ``scopereg[torch]``).

Nothing imports this package eagerly: the root registries list its modules in their
``locations``, so the first lookup in, say, ``OPTIMIZERS`` imports
``scopereg.torch.optimizers``, and ``import scopereg`` stays free of torch. Without torch
installed that first lookup raises :class:`scopereg.LocationImportError` saying to
install ``scopereg[torch]``.

What is registered, under the class or function name:

- ``OPTIMIZERS``: every ``torch.optim`` optimizer (``SGD``, ``Adam``, ...);
- ``PARAM_SCHEDULERS``: every ``torch.optim.lr_scheduler`` scheduler (``StepLR``, ...);
- ``MODELS``: ``torch.nn`` activation, normalization, convolution, pooling, dropout,
  linear, embedding and loss layers (``ReLU``, ``Conv2d``, ``CrossEntropyLoss``, ...);
- ``MODEL_WRAPPERS``: ``DistributedDataParallel``, ``DataParallel`` and, where
  ``torch.distributed`` is available, ``FullyShardedDataParallel``;
- ``DATA_SAMPLERS``: the ``torch.utils.data`` samplers;
- ``FUNCTIONS``: ``default_collate``.

Objects that need runtime objects take them through ``default_args``:

Example:
    >>> import torch
    >>> from scopereg import MODELS, OPTIMIZERS, PARAM_SCHEDULERS
    >>> model = MODELS.build(dict(type="Linear", in_features=4, out_features=2))
    >>> params = model.parameters()
    >>> optimizer = OPTIMIZERS.build(dict(type="SGD", lr=0.1), default_args=dict(params=params))
    >>> scheduler = PARAM_SCHEDULERS.build(
    ...     dict(type="StepLR", step_size=1), default_args=dict(optimizer=optimizer)
    ... )
    >>> type(scheduler).__name__
    'StepLR'
"""
