"""Lightning's ``configure_optimizers`` -> a RunSpec: its return value (an optimizer; a
tuple or list of optimizer and scheduler lists; a dict with ``optimizer`` and
``lr_scheduler``, itself a scheduler or ``{"scheduler", "interval", "frequency", "monitor"}``)
and the ``Trainer(max_epochs=...)`` the text gives, if any."""

from __future__ import annotations

from typing import Any

from lrscope.importing.lightning_loop import (
    config_frequency,
    config_interval,
    loop_entries,
    wants_loop,
)
from lrscope.importing.problems import Missing, Report, Where, unreadable
from lrscope.importing.python_code import CodeReader, Returned
from lrscope.importing.python_values import source_of, where
from lrscope.importing.pytorch import add_origins, no_scheduler, optimizer_spec
from lrscope.importing.torch_calls import Built

# Lightning's names for what the page cannot know from the module alone.
EPOCHS_NAME = "max_epochs"
BATCHES_NAME = "len(train_dataloader)"
# ...or, instead of the batches, what Lightning counts them from (the spec then has a setup)
SETUP_NAMES = {"dataset_size", "batch_size"}


def _scheduler_configs(value: Any) -> list[dict[str, Any]]:
    """The lr_scheduler config dicts Lightning would build from ``value``."""
    if isinstance(value, Built) and value.kind == "scheduler":
        return [{"scheduler": value}]
    if isinstance(value, dict) and isinstance(value.get("scheduler"), Built):
        return [value]
    if isinstance(value, list | tuple):
        return [c for v in value for c in _scheduler_configs(v)]
    return []


def _configs(returned: Returned) -> list[dict[str, Any]]:
    value, at = returned.value, returned.where
    if isinstance(value, dict) and "optimizer" in value:
        configs = _scheduler_configs(value.get("lr_scheduler"))
    elif isinstance(value, tuple | list) and len(value) == 2:
        configs = _scheduler_configs(value[1])
    elif isinstance(value, list | tuple) and value and isinstance(value[0], dict):
        return _configs(Returned(returned.function, value[0], at))
    else:
        configs = []
    if not configs:
        raise no_scheduler()
    return configs


def _max_epochs(reader: CodeReader, report: Report) -> Any:
    for call in reader.keyword_calls:
        if source_of(call.func).rsplit(".", 1)[-1] != "Trainer":
            continue
        for k in call.keywords:
            if k.arg == "max_epochs":
                report.origins[("epochs",)] = (where(k.value), None)
                return report.need(reader.values.of(k.value))
    if EPOCHS_NAME in reader.values.given:
        report.origins[("epochs",)] = (Where(1, 1), EPOCHS_NAME)
        return reader.values.given[EPOCHS_NAME]
    return report.need(Missing({EPOCHS_NAME: Where(1, 1)}))


def _trainer_argument(reader: CodeReader, name: str, default: Any) -> Any:
    for call in reader.keyword_calls:
        if source_of(call.func).rsplit(".", 1)[-1] == "Trainer":
            for k in call.keywords:
                if k.arg == name:
                    return reader.values.of(k.value)
    return default


def _setup(reader: CodeReader, report: Report, epochs: Any) -> dict[str, Any]:
    """Lightning's own step count (``estimated_stepping_batches``) from the data's size,
    the batch size and the ``Trainer``'s devices and gradient accumulation."""
    given = reader.values.given
    for name in SETUP_NAMES:
        report.origins[("setup", name)] = (Where(1, 1), name)
    devices = report.need(_trainer_argument(reader, "devices", 1))
    return {
        "dataset_size": given["dataset_size"],
        "batch_size": given["batch_size"],
        "devices": devices if isinstance(devices, int) and not isinstance(devices, bool) else 1,
        "grad_accum": report.need(_trainer_argument(reader, "accumulate_grad_batches", 1)),
        "epochs": epochs,
        "framework": "lightning",
    }


def lightning_spec(reader: CodeReader, returned: Returned, report: Report) -> dict[str, Any]:
    configs = _configs(returned)
    at = returned.where
    intervals = [config_interval(report, c, at) for c in configs]
    frequencies = [config_frequency(report, c, at) for c in configs]
    if wants_loop(configs, frequencies):
        return _loop_spec(reader, returned, report, configs, intervals)
    config = configs[0]
    top: Built = config["scheduler"]
    interval = intervals[0]
    spec: dict[str, Any] = {"scheduler": top.spec, "interval": interval}
    add_origins(report, ("scheduler",), top)
    spec |= _run_length(reader, returned, report, top, interval)
    if top.spec.get("type") == "ReduceLROnPlateau":
        report.warn("import_metric_synthetic")
    return spec


def _loop_spec(
    reader: CodeReader,
    returned: Returned,
    report: Report,
    configs: list[dict[str, Any]],
    intervals: list[Any],
) -> dict[str, Any]:
    top: Built = configs[0]["scheduler"]
    if any(c["scheduler"].optimizer is not top.optimizer for c in configs):
        raise unreadable(returned.where, "these schedulers step different optimizers")
    stepwise = "step" if "step" in intervals else "epoch"
    spec = _run_length(reader, returned, report, top, stepwise)
    accumulate = report.need(_trainer_argument(reader, "accumulate_grad_batches", 1))
    per_epoch = spec.get("steps_per_epoch")
    loop = loop_entries(report, configs, returned.where, per_epoch, accumulate, reader.built)
    if any(c["scheduler"].spec.get("type") == "ReduceLROnPlateau" for c in configs):
        report.warn("import_metric_synthetic")
    return {"scheduler": loop, **spec}


def _run_length(
    reader: CodeReader, returned: Returned, report: Report, top: Built, interval: Any
) -> dict[str, Any]:
    """The optimizer, epochs and steps per epoch (or Lightning's setup) of the run."""
    spec: dict[str, Any] = {}
    optimizer = optimizer_spec(report, reader, top)
    if optimizer is not None:
        spec["optimizer"] = optimizer
    epochs = _max_epochs(reader, report)
    given = reader.values.given
    if interval == "step" and BATCHES_NAME not in given and set(given) >= SETUP_NAMES:
        spec["setup"] = _setup(reader, report, epochs)
    else:
        spec["epochs"] = epochs
    if interval == "step" and "setup" not in spec:
        if BATCHES_NAME in given:
            report.origins[("steps_per_epoch",)] = (Where(1, 1), BATCHES_NAME)
        spec["steps_per_epoch"] = report.need(
            given.get(BATCHES_NAME, Missing({BATCHES_NAME: returned.where}))
        )
    return spec
