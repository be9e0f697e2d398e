"""Config of the demo: mmbeta's network, mmalpha's data and metric, the root's optimizer.

Scopes mix on purpose:
- ``mmbeta.BetaNet`` is mmbeta's; inside it, ``out`` names ``LogSoftmax``, which resolves
  to mmbeta's own (mmalpha and torch have one too);
- the backbone switches its whole subtree to mmalpha with ``_scope_``: ``MLP`` is
  mmalpha's, and its activation ``RReLU`` falls back to the root (torch);
- ``Linear``, ``SGD`` and ``StepLR`` come from the root registries (torch).

This is a Python config: it is trusted code, like any script you run.
"""

model = dict(
    type="mmbeta.BetaNet",
    backbone=dict(
        _scope_="mmalpha",
        type="MLP",
        in_features=8,
        hidden_features=(32, 32),
        act_cfg=dict(type="RReLU"),
    ),
    head=dict(type="Linear", in_features=32, out_features=3),
    out=dict(type="LogSoftmax", temperature=1.0),
)

data = dict(
    type="mmalpha.SyntheticBlobs",
    num_samples=900,
    num_features=8,
    num_classes=3,
    spread=4.0,
    seed=7,
    # The dataset builds its transforms from TRANSFORMS: say so, for recursive builds and checks.
    transforms=[dict(type="Standardize", _registry_="TRANSFORMS", std=3.0)],
)

loader = dict(batch_size=32, num_workers=0)
loss = dict(type="NLLLoss")
optimizer = dict(type="SGD", lr=0.01, momentum=0.9)
scheduler = dict(type="StepLR", step_size=4, gamma=0.5)
metric = dict(type="mmalpha.Accuracy")
epochs = 8
