"""Lightning's ``configure_optimizers`` -> a RunSpec: its return value (an optimizer; a
tuple or list of optimizer and scheduler lists; a dict with ``optimizer`` and
``lr_scheduler``, itself a scheduler or ``{"scheduler", "interval", "frequency", "monitor"}``)
and the ``Trainer(max_epochs=...)`` the text gives, if any."""

from __future__ import annotations

from typing import Any

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


def _scheduler_config(value: Any, at: Where) -> dict[str, Any] | None:
    """The lr_scheduler config dict Lightning would build from ``value``."""
    if isinstance(value, Built) and value.kind == "scheduler":
        return {"scheduler": value}
    if isinstance(value, dict) and isinstance(value.get("scheduler"), Built):
        return value
    if isinstance(value, list | tuple) and len(value) == 1:
        return _scheduler_config(value[0], at)
    if isinstance(value, list | tuple) and len(value) > 1:
        raise unreadable(at, "lrscope reads one scheduler per configure_optimizers")
    return None


def _config(returned: Returned) -> dict[str, Any]:
    value, at = returned.value, returned.where
    if isinstance(value, dict) and "optimizer" in value:
        config = _scheduler_config(value.get("lr_scheduler"), at)
    elif isinstance(value, tuple | list) and len(value) == 2:
        config = _scheduler_config(value[1], at)
    elif isinstance(value, list | tuple) and value and isinstance(value[0], dict):
        return _config(Returned(returned.function, value[0], at))
    else:
        config = None
    if config is None:
        raise no_scheduler()
    return config


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
    config = _config(returned)
    top: Built = config["scheduler"]
    interval = report.need(config.get("interval", "epoch"))
    frequency = report.need(config.get("frequency", 1))
    if not isinstance(frequency, Missing) and frequency != 1:
        raise unreadable(
            returned.where,
            f"frequency {frequency} is not supported yet: lrscope steps the scheduler "
            f"every {interval}",
        )
    if not isinstance(interval, Missing) and interval not in ("epoch", "step"):
        raise unreadable(returned.where, "interval must be 'epoch' or 'step'")
    spec: dict[str, Any] = {"scheduler": top.spec, "interval": interval}
    add_origins(report, ("scheduler",), top)
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
    if top.spec.get("type") == "ReduceLROnPlateau":
        report.warn("import_metric_synthetic")
    return spec
