"""mmbeta's own unit tests (torch and mmalpha required)."""

from __future__ import annotations

import pytest
import torch

from mmbeta.registry import MODELS
from scopereg.testing import check_scope


def test_its_log_softmax_shadows_mmalphas_inside_mmbeta():
    layer = MODELS.build({"type": "LogSoftmax", "temperature": 2.0})
    assert type(layer).__module__ == "mmbeta.models"
    x = torch.tensor([[2.0, 4.0]])
    assert torch.allclose(layer(x), torch.log_softmax(x / 2.0, dim=-1))
    assert type(MODELS.build({"type": "mmalpha.LogSoftmax"})).__module__ == "mmalpha.models"


def test_beta_net_composes_mmalpha_parts_by_scope():
    net = MODELS.build({
        "type": "BetaNet",
        "backbone": {"type": "mmalpha.MLP", "in_features": 4, "hidden_features": 6},
        "head": {"type": "Linear", "in_features": 6, "out_features": 2},
    })  # fmt: skip
    assert type(net.backbone).__module__ == "mmalpha.models"
    assert type(net.out).__module__ == "mmbeta.models"
    assert net(torch.zeros(3, 4)).shape == (3, 2)


def test_temperature_must_be_positive():
    with pytest.raises(ValueError, match="temperature must be positive"):
        MODELS.build({"type": "LogSoftmax", "temperature": 0})


def test_the_same_config_builds_with_and_without_recursive():
    cfg = {
        "type": "BetaNet",
        "backbone": {"_scope_": "mmalpha", "type": "MLP", "in_features": 4, "act_cfg": {"type": "RReLU"}},
        "head": {"type": "Linear", "in_features": 32, "out_features": 2},
        "out": {"type": "LogSoftmax", "temperature": 2.0},
    }
    for recursive in (False, True):
        net = MODELS.build(cfg, recursive=recursive)
        assert type(net.backbone).__module__ == "mmalpha.models"
        assert type(net.backbone.layers[1]) is torch.nn.RReLU
        assert type(net.out).__module__ == "mmbeta.models"  # the parent's library resolves its children
        assert net(torch.zeros(1, 4)).shape == (1, 2)


def test_mmbeta_keeps_the_scope_contract():
    check = check_scope("mmbeta")
    assert [registry.label for registry in check.registries] == ["mmbeta::model"]
    assert check.built == ["mmbeta.LogSoftmax"]
