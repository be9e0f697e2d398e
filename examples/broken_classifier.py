"""The demo's model with two deliberate mistakes, for ``scopereg check``.

- the backbone's activation names ``RReLu`` (the registered name is ``RReLU``);
- the backbone's keyword is misspelt: ``hiden_features`` (mmalpha's MLP takes
  ``hidden_features``).

``scopereg check examples/broken_classifier.py`` lists both, each with its config path
and a suggestion; ``scopereg build`` refuses to build anything from it.
"""

model = dict(
    type="mmbeta.BetaNet",
    backbone=dict(
        _scope_="mmalpha",
        type="MLP",
        in_features=8,
        hiden_features=(32, 32),
        act_cfg=dict(type="RReLu"),
    ),
    head=dict(type="Linear", in_features=32, out_features=3),
    out=dict(type="LogSoftmax", temperature=1.0),
)
