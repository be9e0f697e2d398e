"""mmalpha's own unit tests (torch required)."""

from __future__ import annotations

import pytest
import torch

from mmalpha.registry import DATASETS, METRICS, MODELS, TRANSFORMS
from scopereg.testing import check_scope


def test_log_softmax_normalises_along_dim():
    layer = MODELS.build({"type": "LogSoftmax", "dim": 0})
    out = layer(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert torch.allclose(out.exp().sum(dim=0), torch.ones(2))


def test_mlp_builds_its_activation_through_the_registry():
    mlp = MODELS.build(
        {"type": "MLP", "in_features": 3, "hidden_features": (4, 5), "act_cfg": {"type": "RReLU"}}
    )
    assert [type(m).__name__ for m in mlp.layers] == ["Linear", "RReLU", "Linear", "RReLU"]
    assert mlp.out_features == 5


def test_classifier_outputs_log_probabilities():
    model = MODELS.build({"type": "MLPClassifier", "in_features": 3, "num_classes": 4})
    out = model(torch.randn(2, 3))
    assert out.shape == (2, 4)
    assert torch.allclose(out.exp().sum(-1), torch.ones(2))


def test_dataset_is_seeded_and_splits_share_centres():
    first = DATASETS.build({"type": "SyntheticBlobs", "seed": 3})
    again = DATASETS.build({"type": "SyntheticBlobs", "seed": 3})
    val = DATASETS.build({"type": "SyntheticBlobs", "seed": 3, "split": "val"})
    assert torch.equal(first.features, again.features)
    assert not torch.equal(first.features, val.features)
    for label in range(3):  # same centres: class means agree across splits
        mean = first.features[first.targets == label].mean(0)
        val_mean = val.features[val.targets == label].mean(0)
        assert torch.allclose(mean, val_mean, atol=0.5)


def test_dataset_applies_transforms_from_configs():
    data = DATASETS.build(
        {"type": "SyntheticBlobs", "transforms": [{"type": "Standardize", "mean": 1.0, "std": 2.0}]}
    )
    x, _ = data[0]
    assert torch.allclose(x, (data.features[0] - 1.0) / 2.0)


@pytest.mark.parametrize(
    "kwargs", [{"split": "test"}, {"num_classes": 1}, {"num_samples": 0}], ids=["split", "classes", "samples"]
)
def test_dataset_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="SyntheticBlobs"):
        DATASETS.build({"type": "SyntheticBlobs", **kwargs})


def test_standardize_rejects_non_positive_std():
    with pytest.raises(ValueError, match="std must be positive"):
        TRANSFORMS.build({"type": "Standardize", "std": 0})


def test_accuracy():
    metric = METRICS.build({"type": "Accuracy"})
    with pytest.raises(ValueError, match="before any process"):
        metric.compute()
    metric.process(torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]), torch.tensor([1, 0, 1]))
    assert metric.compute() == pytest.approx(2 / 3)


def test_mlp_accepts_a_built_activation_and_copies_it_per_layer():
    act = torch.nn.RReLU()
    mlp = MODELS.build({"type": "MLP", "in_features": 3, "hidden_features": (4, 5), "act_cfg": act})
    first, second = mlp.layers[1], mlp.layers[3]
    assert type(first) is torch.nn.RReLU
    assert first is not second
    assert first is not act


def test_mmalpha_keeps_the_scope_contract():
    check = check_scope("mmalpha")
    assert check.scope == "mmalpha"
    assert {registry.name for registry in check.registries} == {"model", "dataset", "transform", "metric"}
    assert "mmalpha.SyntheticBlobs" in check.built
