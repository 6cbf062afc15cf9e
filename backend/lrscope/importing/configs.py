"""YAML/JSON configs -> a RunSpec: LightningCLI (``optimizer:``/``lr_scheduler:`` with
``class_path``/``init_args``, or a bare class name) and Hydra (``_target_`` objects, children
nested, ``${a.b}`` interpolations resolved within the file, others left as open names)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lrscope.catalog import Catalog
from lrscope.importing.problems import Missing, Report, Where, unreadable
from lrscope.importing.pytorch import no_scheduler

_INTERPOLATION = re.compile(r"^\$\{([A-Za-z0-9_.]+)\}$")
EPOCHS_NAME = "max_epochs"
MAX_VISITS = 100_000  # YAML aliases share objects: bound the walk, not the file


def _tail(path: Any) -> str:
    return path.rsplit(".", 1)[-1] if isinstance(path, str) else ""


def _lookup(root: Mapping[str, Any], dotted: str) -> Any:
    node: Any = root
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


class _Resolver:
    def __init__(self, root: Mapping[str, Any], given: Mapping[str, Any], report: Report) -> None:
        self.root, self.given, self.report = root, given, report
        self.visits = 0

    def value(self, v: Any, depth: int = 0) -> Any:
        self.visits += 1
        if self.visits > MAX_VISITS or depth > 40:
            raise unreadable(Where(1, 1), "the config is too large or nested too deeply")
        if isinstance(v, str):
            match = _INTERPOLATION.match(v)
            if match:
                name = match.group(1)
                if name in self.given:
                    return self.given[name]
                found = _lookup(self.root, name)
                return (
                    Missing({name: Where(1, 1)}) if found is None else self.value(found, depth + 1)
                )
            return v
        if isinstance(v, list):
            return [self.value(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {str(k): self.value(x, depth + 1) for k, x in v.items()}
        return v


def _lightning_object(entry: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(entry, str):
        return _tail(entry), {}
    if isinstance(entry, Mapping) and "class_path" in entry:
        args = entry.get("init_args") or {}
        return _tail(entry["class_path"]), dict(args) if isinstance(args, Mapping) else {}
    return None


def _epochs(root: Mapping[str, Any], resolve: _Resolver, report: Report) -> Any:
    for path in ("trainer.max_epochs", "max_epochs", "epochs", "num_epochs", "trainer.epochs"):
        found = _lookup(root, path)
        if found is not None:
            return report.need(resolve.value(found))
    return report.need(resolve.given.get(EPOCHS_NAME, Missing({EPOCHS_NAME: Where(1, 1)})))


def lightning_cli_spec(
    root: Mapping[str, Any], catalog: Catalog, given: Mapping[str, Any], report: Report
) -> dict[str, Any]:
    resolve = _Resolver(root, given, report)
    scheduler = _lightning_object(root.get("lr_scheduler"))
    if scheduler is None or scheduler[0] not in catalog.schedulers:
        raise no_scheduler()
    name, args = scheduler
    args = report.need(resolve.value(args))
    args.pop("monitor", None)  # LightningCLI's ReduceLROnPlateau takes the metric's name
    spec: dict[str, Any] = {"scheduler": {"type": name, **args}}
    optimizer = _lightning_object(root.get("optimizer"))
    if optimizer is not None and optimizer[0] in catalog.optimizers:
        spec["optimizer"] = {"type": optimizer[0], **report.need(resolve.value(optimizer[1]))}
    else:
        report.warn("import_default_optimizer")
    spec["interval"] = "epoch"  # LightningCLI steps its lr_scheduler once per epoch
    spec["epochs"] = _epochs(root, resolve, report)
    return spec


def looks_like_lightning_cli(root: Mapping[str, Any]) -> bool:
    return "lr_scheduler" in root and _lightning_object(root["lr_scheduler"]) is not None


def _targets(node: Any, found: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 40:
        raise unreadable(Where(1, 1), "the config is nested too deeply")
    if isinstance(node, Mapping):
        if "_target_" in node:
            found.append(dict(node))
            return
        for v in node.values():
            _targets(v, found, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _targets(v, found, depth + 1)


def has_targets(root: Any) -> bool:
    found: list[dict[str, Any]] = []
    _targets(root, found)
    return bool(found)


def _hydra_object(node: Mapping[str, Any], catalog: Catalog, depth: int = 0) -> dict[str, Any]:
    name = _tail(node.get("_target_"))
    spec: dict[str, Any] = {"type": name}
    for key, value in node.items():
        if key.startswith("_") or key == "optimizer":
            continue
        if key == "schedulers" and isinstance(value, list):
            spec[key] = [
                _hydra_object(v, catalog, depth + 1) if isinstance(v, Mapping) else v for v in value
            ]
        else:
            spec[key] = value
    return spec


def hydra_spec(
    root: Mapping[str, Any], catalog: Catalog, given: Mapping[str, Any], report: Report
) -> dict[str, Any]:
    resolve = _Resolver(root, given, report)
    found: list[dict[str, Any]] = []
    _targets(root, found)
    schedulers = [f for f in found if _tail(f["_target_"]) in catalog.schedulers]
    optimizers = [f for f in found if _tail(f["_target_"]) in catalog.optimizers]
    if not schedulers:
        raise no_scheduler()
    scheduler = report.need(resolve.value(_hydra_object(schedulers[-1], catalog)))
    spec: dict[str, Any] = {"scheduler": scheduler}
    if optimizers:
        spec["optimizer"] = report.need(resolve.value(_hydra_object(optimizers[-1], catalog)))
    else:
        report.warn("import_default_optimizer")
    interval = _lookup(root, "interval") or _lookup(root, "scheduler.interval")
    spec["interval"] = interval if interval in ("epoch", "step") else "epoch"
    spec["epochs"] = _epochs(root, resolve, report)
    return spec
