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
    spec["epochs"] = _max_epochs(reader, report)
    if interval == "step":
        given = reader.values.given
        if BATCHES_NAME in given:
            report.origins[("steps_per_epoch",)] = (Where(1, 1), BATCHES_NAME)
        spec["steps_per_epoch"] = report.need(
            given.get(BATCHES_NAME, Missing({BATCHES_NAME: returned.where}))
        )
    if top.spec.get("type") == "ReduceLROnPlateau":
        report.warn("import_metric_synthetic")
    return spec
