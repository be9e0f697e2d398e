"""scopereg's torch registrations (run by the torch sessions; torch is required here)."""

from __future__ import annotations

import inspect

import pytest
import torch
from torch.utils.data import default_collate

from scopereg import DATA_SAMPLERS, FUNCTIONS, MODEL_WRAPPERS, MODELS, OPTIMIZERS, PARAM_SCHEDULERS


def test_every_torch_optimizer_is_registered():
    base = torch.optim.Optimizer
    optimizers = {
        name
        for name, obj in vars(torch.optim).items()
        if inspect.isclass(obj) and issubclass(obj, base) and obj is not base
    }
    assert {"SGD", "Adam", "AdamW"} <= optimizers
    assert all(OPTIMIZERS.get(name) is getattr(torch.optim, name) for name in optimizers)


def test_every_scheduler_is_registered():
    lr = torch.optim.lr_scheduler
    for name in ("StepLR", "MultiStepLR", "CosineAnnealingLR", "OneCycleLR", "ReduceLROnPlateau", "LambdaLR"):
        assert PARAM_SCHEDULERS.get(name) is getattr(lr, name)
    assert PARAM_SCHEDULERS.get("LRScheduler") is None  # the abstract base is not buildable


@pytest.mark.parametrize(
    "name",
    [
        *("ReLU", "RReLU", "Sigmoid", "Softmax", "LogSoftmax", "Conv2d", "BatchNorm2d", "LayerNorm"),
        *("GroupNorm", "MaxPool2d", "AdaptiveAvgPool2d", "Dropout", "Linear", "Identity", "Embedding"),
        *("CrossEntropyLoss", "NLLLoss"),
    ],
)
def test_layers_are_registered_in_models(name):
    assert MODELS.get(name) is getattr(torch.nn, name)


def test_containers_and_bases_are_not_registered():
    for name in ("Module", "Sequential", "ModuleList"):
        assert MODELS.get(name) is None


def test_samplers_and_collate():
    assert DATA_SAMPLERS.get("RandomSampler") is torch.utils.data.RandomSampler
    assert DATA_SAMPLERS.get("DistributedSampler") is torch.utils.data.DistributedSampler
    assert FUNCTIONS.get("default_collate") is default_collate


def test_runtime_objects_come_through_default_args():
    model = MODELS.build({"type": "Linear", "in_features": 3, "out_features": 1})
    optimizer = OPTIMIZERS.build({"type": "SGD", "lr": 0.5}, default_args={"params": model.parameters()})
    scheduler = PARAM_SCHEDULERS.build(
        {"type": "StepLR", "step_size": 1, "gamma": 0.1}, default_args={"optimizer": optimizer}
    )
    optimizer.step()
    scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.05)


def test_a_list_of_model_configs_builds_a_sequential():
    model = MODELS.build([{"type": "Linear", "in_features": 2, "out_features": 4}, {"type": "ReLU"}])
    assert isinstance(model, torch.nn.Sequential)
    assert model(torch.zeros(1, 2)).shape == (1, 4)


def test_torch_entries_name_torch_as_their_distribution():
    provenance = MODELS.which("Conv2d").provenance
    assert provenance.module == "torch.nn.modules.conv"
    assert provenance.distribution == "torch"


def test_misspelt_layer_arguments_are_explained():
    with pytest.raises(TypeError, match=r"unexpected keyword 'in_feature' \(did you mean 'in_features'"):
        MODELS.build({"type": "Linear", "in_feature": 2, "out_features": 1})


def test_model_wrappers_are_torch_s_parallel_wrappers():
    from torch.distributed.fsdp import FullyShardedDataParallel

    assert MODEL_WRAPPERS.get("DistributedDataParallel") is torch.nn.parallel.DistributedDataParallel
    assert MODEL_WRAPPERS.get("DataParallel") is torch.nn.parallel.DataParallel
    assert MODEL_WRAPPERS.get("FullyShardedDataParallel") is FullyShardedDataParallel


def test_a_model_is_wrapped_in_ddp_through_default_args(tmp_path):
    import torch.distributed as dist

    store = dist.FileStore(str(tmp_path / "store"), 1)
    dist.init_process_group("gloo", store=store, rank=0, world_size=1)
    try:
        model = MODELS.build({"type": "Linear", "in_features": 2, "out_features": 1})
        wrapped = MODEL_WRAPPERS.build({"type": "DistributedDataParallel"}, default_args={"module": model})
        assert isinstance(wrapped, torch.nn.parallel.DistributedDataParallel)
        assert wrapped.module is model
        assert wrapped(torch.ones(3, 2)).shape == (3, 1)
    finally:
        dist.destroy_process_group()
