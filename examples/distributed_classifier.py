"""Config of the distributed demo: one config, mixing scopes, that every process builds from.

- ``default_scope``: each rank sets it with ``init_default_scope``, so the unscoped
  ``BetaNet`` and its ``LogSoftmax`` are mmbeta's;
- the backbone switches its subtree to mmalpha with ``_scope_``; ``Linear``, ``NLLLoss``,
  ``SGD``, ``StepLR``, ``DistributedDataParallel`` and ``DistributedSampler`` come from
  the root registries (torch), where mmbeta's scope falls back;
- ``transforms`` are built inside the DataLoader's worker processes: fresh interpreters
  without a default scope, so ``_scope_`` says where ``Standardize`` is.

The same file runs on one machine or several (``torchrun --nnodes``): nothing in it
depends on the number of processes. This is a Python config: trusted code, like any
script you run.
"""

default_scope = "mmbeta"
backend = "gloo"  # CPU processes; "nccl" for one GPU per process

model = dict(
    type="BetaNet",
    backbone=dict(
        _scope_="mmalpha",
        type="MLP",
        in_features=8,
        hidden_features=(32, 32),
        act_cfg=dict(type="RReLU"),
    ),
    head=dict(type="Linear", in_features=32, out_features=3),
    out=dict(type="LogSoftmax"),
)
model_wrapper = dict(type="DistributedDataParallel")

data = dict(type="mmalpha.SyntheticBlobs", num_samples=800, num_features=8, num_classes=3, spread=4.0, seed=7)
transforms = [dict(_scope_="mmalpha", type="Standardize", std=3.0)]
sampler = dict(type="DistributedSampler", shuffle=True, seed=0)  # each rank its share of every epoch
loader = dict(batch_size=32, num_workers=2, multiprocessing_context="spawn", persistent_workers=True)

loss = dict(type="NLLLoss")
optimizer = dict(type="SGD", lr=0.05, momentum=0.9)
scheduler = dict(type="StepLR", step_size=3, gamma=0.5)
metric = dict(type="mmalpha.Accuracy")
epochs = 5
seed = 0
