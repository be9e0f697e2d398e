"""Cross-distribution scopes: siblings, the root, _scope_, default scope, discovery."""

from __future__ import annotations


def test_siblings_build_each_other_both_ways(python):
    out = python.output(
        """
        import mmalpha.models, mmbeta.models
        from mmalpha.registry import MODELS as ALPHA
        from mmbeta.registry import MODELS as BETA
        print(type(BETA.build(dict(type='mmalpha.LogSoftmax'))) is mmalpha.models.LogSoftmax)
        print(type(ALPHA.build(dict(type='mmbeta.LogSoftmax'))) is mmbeta.models.LogSoftmax)
        """
    )
    assert out.splitlines() == ["True", "True"]


def test_root_modules_from_a_child(python):
    out = python.output(
        """
        import torch
        from mmalpha.registry import MODELS
        print(type(MODELS.build(dict(type='RReLU'))) is torch.nn.RReLU)
        print(type(MODELS.build(dict(type='scopereg.RReLU'))) is torch.nn.RReLU)
        """
    )
    assert out.splitlines() == ["True", "True"]


def test_scope_switches_nest_and_restore(python):
    out = python.output(
        """
        from scopereg import MODELS, DefaultScope
        net = MODELS.build(dict(
            type='mmbeta.BetaNet',
            backbone=dict(_scope_='mmalpha', type='MLP', in_features=4, hidden_features=8,
                          act_cfg=dict(type='LogSoftmax')),   # nested build under mmalpha
            head=dict(type='Linear', in_features=8, out_features=2),
            out=dict(type='LogSoftmax'),                        # under mmbeta again
        ))
        print(type(net.backbone.layers[1]).__module__)
        print(type(net.out).__module__)
        print(DefaultScope.get_current_instance())
        """
    )
    assert out.splitlines() == ["mmalpha.models", "mmbeta.models", "None"]


def test_default_scope_routes_the_root_registry(python):
    out = python.output(
        """
        import torch
        from scopereg import MODELS, init_default_scope, NotRegisteredError
        print(type(MODELS.build(dict(type='LogSoftmax'))).__module__)   # torch's, at the root
        try:
            MODELS.build(dict(type='MLPClassifier', in_features=2, num_classes=2))
        except NotRegisteredError as exc:
            print('KeyError:', exc)
        init_default_scope('mmalpha')
        print(type(MODELS.build(dict(type='LogSoftmax'))).__module__)
        print(type(MODELS.build(dict(type='MLPClassifier', in_features=2, num_classes=2))).__module__)
        print(type(MODELS.build(dict(type='RReLU'))).__module__)    # falls back to the root
        """
    )
    lines = out.splitlines()
    assert lines[0] == "torch.nn.modules.activation"
    assert lines[1].startswith("KeyError: MLPClassifier is not in the scopereg::model registry.")
    # The error path imports no library for suggestions: it names the declared scopes instead.
    assert "not imported yet: 'mmalpha' (mmalpha), 'mmbeta' (mmbeta)" in lines[1]
    assert "a key naming one ('mmalpha.MLPClassifier')" in lines[1]
    assert lines[2:] == ["mmalpha.models", "mmalpha.models", "torch.nn.modules.activation"]


def test_a_process_importing_only_scopereg_discovers_both_libraries(python):
    out = python.output(
        """
        import sys
        import scopereg
        print(any(m.startswith(('mmalpha', 'mmbeta')) for m in sys.modules))
        beta = scopereg.MODELS.build(dict(type='mmbeta.LogSoftmax', temperature=2.0))
        alpha = scopereg.MODELS.build(dict(type='mmalpha.LogSoftmax'))
        print(type(beta).__module__, type(alpha).__module__)
        data = scopereg.DATASETS.build(dict(type='SyntheticBlobs', _scope_='mmalpha', num_samples=5))
        print(len(data))
        """
    )
    assert out.splitlines() == ["False", "mmbeta.models mmalpha.models", "5"]


def test_same_names_resolve_by_scope(python):
    out = python.output(
        """
        from scopereg import MODELS as ROOT
        from mmalpha.registry import MODELS as ALPHA
        from mmbeta.registry import MODELS as BETA
        for registry in (ROOT, ALPHA, BETA):
            print(type(registry.build(dict(type='LogSoftmax'))).__module__)
        """
    )
    assert out.splitlines() == ["torch.nn.modules.activation", "mmalpha.models", "mmbeta.models"]


def test_provenance_names_the_distributions(python):
    out = python.output(
        """
        from scopereg import MODELS
        for key in ('mmalpha.MLP', 'mmbeta.BetaNet', 'ReLU'):
            entry = MODELS.which(key)
            print(entry.registry.scope, entry.provenance.module, entry.provenance.distribution)
        """
    )
    assert out.splitlines() == [
        "mmalpha mmalpha.models mmalpha",
        "mmbeta mmbeta.models mmbeta",
        "scopereg torch.nn.modules.activation torch",
    ]
