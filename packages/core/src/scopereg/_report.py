"""Summaries of what is registered: MMEngine's traverse and count helpers."""

from __future__ import annotations

from ._declared import discover_scopes
from ._errors import LocationImportError
from ._registry import Registry
from ._roots import ROOT_REGISTRIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def traverse_registry_tree(registry: Registry, verbose: bool = True) -> list[dict[str, Any]]:
    """Describe every registry of ``registry``'s tree, root first.

    Each item has ``num_modules``, ``scope`` and, per defining package folder
    (``"mmalpha/models"``), the names registered from it. Locations are imported first;
    one that fails is reported under ``"error"`` instead of stopping the walk.

    Example:
        >>> from scopereg import Registry, traverse_registry_tree
        >>> MODELS = Registry("model", scope="demo")
        >>> _ = MODELS.register_module(name="Identity", module=lambda: None)
        >>> traverse_registry_tree(MODELS, verbose=False)[0]["num_modules"]
        1
    """
    if not isinstance(registry, Registry):
        raise TypeError(f"registry must be a scopereg.Registry, got {type(registry).__name__}")
    infos: list[dict[str, Any]] = []
    for node in registry.root.walk():
        info: dict[str, Any] = {"num_modules": 0, "scope": node.scope}
        try:
            node.import_from_location()
        except LocationImportError as exc:
            info["error"] = str(exc)
        entries = node.entries() if "error" not in info else {}
        info["num_modules"] = len(entries)
        for name, entry in entries.items():
            folder = "/".join(entry.provenance.module.split(".")[:-1])
            info.setdefault(folder, []).append(name)
        if verbose:
            print(f"Find {info['num_modules']} modules in {node.scope}'s '{node.name}' registry")
        infos.append(info)
    return infos


def count_registered_modules(save_path: str | None = None, verbose: bool = True) -> dict[str, Any]:
    """Count the modules of every root registry's tree, every declared scope included.

    The scopes that installed distributions declare (entry points ``scopereg.scopes``)
    are imported first, so a fresh process counts them too, as ``scopereg tree`` does.
    Returns ``{"scan_date": ..., "registries": {ROOT_NAME: traverse_registry_tree(...)}}``.
    With ``save_path`` (a directory, created if needed, as in MMEngine) the same data is
    also written to ``save_path/modules_statistic_results.json``.

    Example:
        >>> from scopereg import count_registered_modules
        >>> "MODELS" in count_registered_modules(verbose=False)["registries"]
        True
    """
    import datetime

    discover_scopes(load=True)
    scan = {
        "scan_date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "registries": {
            name: traverse_registry_tree(registry, verbose) for name, registry in ROOT_REGISTRIES.items()
        },
    }
    if save_path is not None:
        import json
        import os

        os.makedirs(save_path, exist_ok=True)
        json_path = os.path.join(save_path, "modules_statistic_results.json")
        with open(json_path, "w", encoding="utf-8") as file:
            json.dump(scan, file, indent=2)
        if verbose:
            print(f"Result has been saved to {json_path}")
    return scan
