"""Train with torch.distributed, everything built from one config that mixes scopes.

Run it with ``python -m nox -s demo_distributed`` (two CPU processes on this machine), or
where the packages are installed::

    torchrun --standalone --nproc-per-node 2 examples/demo_distributed.py [CONFIG]

and on several machines with ``torchrun --nnodes`` (docs/downstream.md). Each process (a
rank) sets the config's default scope, builds the model, wraps it through MODEL_WRAPPERS,
builds the dataset, its sampler (DATA_SAMPLERS), the optimizer and the scheduler, and
trains. Its DataLoader's workers are spawned processes that build the dataset's
transforms themselves, from configs whose ``_scope_`` names where each comes from. At the
end the ranks compare their parameters (the run fails unless they are identical) and
rank 0 prints the validation accuracy (and fails under ``--min-accuracy``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, Dataset, get_worker_info

from scopereg import (
    DATA_SAMPLERS,
    DATASETS,
    FUNCTIONS,
    METRICS,
    MODEL_WRAPPERS,
    MODELS,
    OPTIMIZERS,
    PARAM_SCHEDULERS,
    TRANSFORMS,
    DefaultScope,
    init_default_scope,
    load_config,
)

Sample = tuple[torch.Tensor, int]


class TransformedInWorkers(Dataset[Sample]):
    """``dataset``'s samples through transforms that each DataLoader worker builds from configs.

    The process that makes the DataLoader never builds them: a sample read outside a
    worker, whose transforms were not built there, is an error rather than a silent
    untransformed sample.
    """

    def __init__(self, dataset: Dataset[Sample], transforms: list[dict[str, Any]]) -> None:
        self.dataset = dataset
        self.transform_cfgs = transforms
        self.transforms: list[Any] | None = None

    def build_transforms(self) -> None:
        """Build the transforms here, in a worker: a fresh process, with no default scope of its own."""
        self.transforms = [TRANSFORMS.build(cfg) for cfg in self.transform_cfgs]

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]  # the wrapped datasets are sized

    def __getitem__(self, index: int) -> Sample:
        if self.transforms is None:
            raise RuntimeError(
                "TransformedInWorkers: read in a DataLoader worker, which builds the transforms"
            )
        features, target = self.dataset[index]
        for transform in self.transforms:
            features = transform(features)
        return features, target


def build_transforms_in_worker(worker_id: int) -> None:
    """``worker_init_fn``: this worker's copy of the dataset builds its transforms."""
    info = get_worker_info()
    if info is None or not isinstance(info.dataset, TransformedInWorkers):
        raise RuntimeError(f"worker {worker_id}: expected a TransformedInWorkers dataset")
    if DefaultScope.get_current_instance() is not None:  # shown, not assumed: only _scope_ resolves them
        raise RuntimeError(f"worker {worker_id}: a spawned worker should start without a default scope")
    info.dataset.build_transforms()


def say(*parts: object) -> None:
    print(f"[rank {dist.get_rank()}/{dist.get_world_size()}]", *parts, flush=True)


def train_epoch(model: torch.nn.Module, loader: DataLoader[Sample], parts: dict[str, Any]) -> float:
    """One pass over this rank's share of the data; the mean loss over every rank."""
    model.train()
    total, batches = torch.zeros(2), 0
    for features, targets in loader:
        parts["optimizer"].zero_grad()
        loss = parts["loss"](model(features), targets)
        loss.backward()  # DistributedDataParallel averages the gradients of every rank here
        parts["optimizer"].step()
        total[0] += loss.item()
        batches += 1
    parts["scheduler"].step()
    total[1] = batches
    dist.all_reduce(total)
    return float(total[0] / total[1])


def parameters_identical(model: torch.nn.Module) -> tuple[bool, float]:
    """Gather every rank's parameters; whether they are all equal, and the largest difference."""
    mine = torch.cat([parameter.detach().reshape(-1) for parameter in model.parameters()])
    everyone = [torch.empty_like(mine) for _ in range(dist.get_world_size())]
    dist.all_gather(everyone, mine)
    largest = max(float((other - everyone[0]).abs().max()) for other in everyone)
    return all(torch.equal(other, everyone[0]) for other in everyone), largest


def evaluate(model: torch.nn.Module, cfg: dict[str, Any]) -> float:
    """Accuracy on the validation split, in this process (its transforms built here)."""
    val_set = DATASETS.build(cfg["data"], default_args={"split": "val", "transforms": cfg["transforms"]})
    metric = METRICS.build(cfg["metric"])
    model.eval()
    with torch.no_grad():
        for features, targets in DataLoader(val_set, batch_size=256):
            metric.process(model(features), targets)
    return float(metric.compute())


def build(cfg: dict[str, Any]) -> tuple[torch.nn.Module, DataLoader[Sample], dict[str, Any]]:
    """The wrapped model, this rank's loader, and the parts of training, from the config."""
    model = MODELS.build(cfg["model"])
    wrapped = MODEL_WRAPPERS.build(cfg["model_wrapper"], default_args={"module": model})
    blobs = DATASETS.build(cfg["data"], default_args={"split": "train"})
    sampler = DATA_SAMPLERS.build(cfg["sampler"], default_args={"dataset": blobs})
    loader = DataLoader(
        TransformedInWorkers(blobs, cfg["transforms"]),
        sampler=sampler,
        collate_fn=FUNCTIONS.get("default_collate"),
        worker_init_fn=build_transforms_in_worker,
        **cfg["loader"],
    )
    optimizer = OPTIMIZERS.build(cfg["optimizer"], default_args={"params": wrapped.parameters()})
    parts = {
        "model": model,  # unwrapped: what rank 0 evaluates alone
        "sampler": sampler,
        "loss": MODELS.build(cfg["loss"]),
        "optimizer": optimizer,
        "scheduler": PARAM_SCHEDULERS.build(cfg["scheduler"], default_args={"optimizer": optimizer}),
    }
    say(
        f"default scope {cfg['default_scope']!r}: {type(model).__module__}.{type(model).__name__} in",
        f"{type(wrapped).__name__}; {type(sampler).__name__} gives this rank {len(sampler)} of {len(blobs)}",
        f"samples; {loader.num_workers} spawned workers build {[t['type'] for t in cfg['transforms']]}",
    )
    return wrapped, loader, parts


def run(cfg: dict[str, Any], min_accuracy: float) -> int:
    init_default_scope(cfg["default_scope"])
    torch.manual_seed(cfg["seed"])
    wrapped, loader, parts = build(cfg)
    for epoch in range(1, cfg["epochs"] + 1):
        parts["sampler"].set_epoch(epoch)  # a new shuffle each epoch, the same on every rank
        loss = train_epoch(wrapped, loader, parts)
        if dist.get_rank() == 0:
            say(f"epoch {epoch}/{cfg['epochs']}: mean loss over the ranks {loss:.3f}")
    del loader  # its persistent workers stop now, not at interpreter exit
    identical, largest = parameters_identical(wrapped)
    ranks = dist.get_world_size()
    say(f"parameters identical on all {ranks} ranks: {identical} (largest difference {largest:g})")
    if not identical:
        return 1
    status = 0
    if dist.get_rank() == 0:
        accuracy = evaluate(parts["model"], cfg)
        say(f"validation accuracy {accuracy:.1%} (chance {1 / cfg['data']['num_classes']:.1%})")
        if accuracy < min_accuracy:
            say(f"accuracy under --min-accuracy {min_accuracy:.0%}")
            status = 1
    # Every rank leaves together: a rank tearing down its process group while rank 0 still
    # evaluates can abort at exit ("terminate called without an active exception").
    dist.barrier()
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    default = Path(__file__).with_name("distributed_classifier.py")
    parser.add_argument("config", nargs="?", default=default, type=Path)
    parser.add_argument("--min-accuracy", type=float, default=0.0, help="fail under this accuracy (0 to 1)")
    args = parser.parse_args()
    cfg = load_config(args.config)  # a Python config: trusted code, run like a script
    dist.init_process_group(backend=cfg["backend"])  # rank, world size and rendezvous from torchrun
    try:
        return run(cfg, args.min_accuracy)
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
