"""Train mmbeta's network on mmalpha's synthetic data, everything built from a config.

Run it with ``python -m nox -s demo`` (which installs the three packages), or directly
with ``python examples/demo.py [CONFIG]`` where they are installed. It prints the
training progress, the final accuracy, and for each built component the scope and
module it came from.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from torch.utils.data import DataLoader

from scopereg import (
    DATASETS,
    FUNCTIONS,
    METRICS,
    MODELS,
    OPTIMIZERS,
    PARAM_SCHEDULERS,
    TRANSFORMS,
    Registry,
    load_config,
)

console = Console(width=None if Console().is_terminal else 120)


def origin_of(obj: object, registry: Registry) -> tuple[str, str, str, str]:
    """(scope, key, module, file:line) of the entry in ``registry``'s tree holding type(obj)."""
    target = type(obj)
    pending = [registry.root]
    while pending:
        node = pending.pop()
        for name, registered in node.module_dict.items():
            if registered is target:
                entry = node.which(name)
                assert entry is not None
                provenance = entry.provenance
                return node.scope, entry.key, provenance.module, provenance.location
        pending.extend(node.children.values())
    return "-", "(not registered)", target.__module__, "-"


def provenance_table(components: list[tuple[str, object, Registry]]) -> Table:
    table = Table(title="Where each built component came from")
    for column in ("component", "scope", "registered as", "module", "defined at"):
        table.add_column(column, overflow="fold")
    for label, obj, registry in components:
        scope, key, module, location = origin_of(obj, registry)
        table.add_row(label, scope, key, module, Path(location).name)
    return table


def evaluate(model: torch.nn.Module, loader: DataLoader[Any], metric: Any) -> float:
    metric.reset()
    model.eval()
    with torch.no_grad():
        for features, targets in loader:
            metric.process(model(features), targets)
    return float(metric.compute())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "config", nargs="?", default=Path(__file__).with_name("mmbeta_classifier.py"), type=Path
    )
    cfg = load_config(parser.parse_args().config)  # a Python config: trusted code, run like a script
    torch.manual_seed(0)

    model = MODELS.build(cfg["model"])
    train_set = DATASETS.build(cfg["data"], default_args={"split": "train"})
    val_set = DATASETS.build(cfg["data"], default_args={"split": "val"})
    collate = FUNCTIONS.get("default_collate")
    train_loader = DataLoader(train_set, shuffle=True, collate_fn=collate, **cfg["loader"])
    val_loader = DataLoader(val_set, collate_fn=collate, **cfg["loader"])
    criterion = MODELS.build(cfg["loss"])
    optimizer = OPTIMIZERS.build(cfg["optimizer"], default_args={"params": model.parameters()})
    scheduler = PARAM_SCHEDULERS.build(cfg["scheduler"], default_args={"optimizer": optimizer})
    metric = METRICS.build(cfg["metric"])

    console.print(f"Chance level: {1 / train_set.num_classes:.1%} ({train_set.num_classes} classes)")
    columns = (
        TextColumn("[bold]epoch {task.fields[epoch]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.3f}  val acc {task.fields[acc]:.1%}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        for epoch in range(1, cfg["epochs"] + 1):
            task = progress.add_task("train", total=len(train_loader), epoch=epoch, loss=0.0, acc=0.0)
            model.train()
            for features, targets in train_loader:
                optimizer.zero_grad()
                loss = criterion(model(features), targets)
                loss.backward()
                optimizer.step()
                progress.update(task, advance=1, loss=loss.item())
            scheduler.step()
            progress.update(task, acc=evaluate(model, val_loader, metric))

    accuracy = evaluate(model, val_loader, metric)
    console.print(
        f"[bold green]Final validation accuracy: {accuracy:.1%}[/] (chance {1 / train_set.num_classes:.1%})"
    )
    components = [
        ("model", model, MODELS),
        ("model.backbone", model.backbone, MODELS),
        ("model.backbone activation", model.backbone.layers[1], MODELS),
        ("model.head", model.head, MODELS),
        ("model.out", model.out, MODELS),
        ("loss", criterion, MODELS),
        ("dataset", train_set, DATASETS),
        ("dataset transform", train_set.transforms[0], TRANSFORMS),
        ("optimizer", optimizer, OPTIMIZERS),
        ("scheduler", scheduler, PARAM_SCHEDULERS),
        ("metric", metric, METRICS),
    ]
    console.print(provenance_table(components))


if __name__ == "__main__":
    main()
