"""The messages about the user's own files, by stable code: imported code and configs
(``POST /api/import``), training setups (``setup``) and logged runs (``POST /api/compare``).
``lrscope.messages`` merges them into its tables; the same rules hold (messages.py)."""

from __future__ import annotations

LOG_ERRORS = {
    "log_too_large": "the log is {size} bytes; at most {maximum} are read",
    "log_too_many_rows": "the log has {count} rows or entries; at most {maximum} are read",
    "log_format_unknown": "cannot tell the log's format from its start; give format, one of "
    "{choices}",
    "log_not_json": "line {line}, column {column}: the log is not valid JSON: {detail}",
    "log_history_missing": "a trainer_state.json is an object with a log_history list; this "
    "one has none",
    "log_entry_not_object": "line {line}: {field} must be an object, got {got}",
    "log_field_missing": "line {line}: {field} is missing",
    "log_value_not_number": "line {line}: {field} must be a finite number, got {got}",
    "log_step_invalid": "line {line}: {field} must be a whole number of steps from 0, got {got}",
    "log_no_lr": "the log has no learning-rate values: {where}",
    "log_tensorboard_json_shape": "{field} must be a [wall_time, step, value] list, got {got}",
    "log_csv_invalid": "line {line}: the CSV is malformed: {detail}",
    "log_csv_column_missing": "line 1: no column {wanted} among the columns: {columns}",
    "log_csv_row_length": "line {line}: has {count} fields but the header has {expected}",
    "log_not_text": "the log is not UTF-8 text (byte {offset}) nor a TensorBoard event file",
    "log_base64_invalid": "is not valid base64: {detail}",
    "log_events_invalid": "the TensorBoard event file is malformed at {offset}: {detail}",
    "log_events_unavailable": "reading TensorBoard event files needs the tensorboard package "
    "on the server (pip install 'lrscope[tensorboard]'); or download the scalar as CSV or "
    "JSON from TensorBoard",
    "log_no_overlap": "the log starts at step {first}, after the spec's run of {steps} steps "
    "ends: nothing to compare",
    "log_group_missing": "the spec's optimizer has {groups} param group(s); there is no group "
    "{group}",
    "log_not_found": "no stored log {log_id}: it was never stored or has been evicted (the "
    "server keeps the most recent ones); load the log file again",
}


IMPORT_ERRORS = {
    "import_unreadable": "line {line}, column {column}: {detail}",
    "import_open_name": "the text leaves {name} open (line {line}); give its value in values",
    "import_value_kind": "must be a number, a text or true/false, got {got}",
    "import_value_not_number": "is used in arithmetic on line {line}, so it must be a "
    "number, got {got}",
    "import_invalid_value": "line {line}, column {column}: {field} {detail}",
    "import_no_scheduler": "the text builds no learning-rate scheduler lrscope can read "
    "(a torch.optim.lr_scheduler class, a Hugging Face schedule, LightningCLI's "
    "lr_scheduler or a Hydra _target_)",
    "import_unknown_format": "this is not PyTorch code, a Lightning, LightningCLI or Hydra "
    "config, or Hugging Face TrainingArguments (flags, JSON or YAML) that lrscope can read",
    "import_too_large": "the text has {size} characters; at most {maximum} are allowed",
    "import_too_many_lines": "the text has {count} lines; at most {maximum} are allowed",
    "import_too_deep": "the text is nested too deeply (at most {maximum} levels)",
    "import_empty": "the text is empty: paste your code or config",
}


SETUP_ERRORS = {
    "setup_conflict": "is {given} but the setup gives {resolved}; leave it out (the setup "
    "decides) or make it agree",
    "setup_no_step": "this setup makes no optimizer step in an epoch ({batches} micro-batch(es) "
    "per device, grad_accum = {grad_accum}); give more data, a smaller batch or less accumulation",
}


SETUP_WARNINGS = {
    "resume_departs": "Resumed with {how} after step {at_step}: the rate departs from the "
    "uninterrupted run at step {steps}.",
    "momentum_diverges": "{scheduler} cycles momentum up to {argument} = {value}: momentum ≥ 1 "
    "makes SGD diverge (torch computes this schedule, but a model cannot train with it).",
    "setup_leftover": "A plain loop stepping the optimizer when (i + 1) % grad_accum == 0 leaves "
    "{leftover} micro-batch(es) of each epoch without an optimizer step (their gradients "
    "carry into the next epoch unless zeroed).",
    "pitfall_per_process": "With {devices} devices, a scheduler stepped once per process "
    "(accelerate's prepared scheduler with split_batches=False) runs {devices}x too fast: it "
    "reaches the end of its schedule after {reached} of {total} optimizer steps.",
    "pitfall_per_micro_batch": "A scheduler stepped per micro-batch instead of per optimizer step "
    "runs grad_accum = {grad_accum}x too fast: it reaches the end of its schedule after "
    "{reached} of {total} optimizer steps.",
    "pitfall_per_epoch_horizon": "A schedule sized for one epoch's steps ({steps_per_epoch}) "
    "instead of the run's ({total}) ends after the first epoch and runs {epochs}x too fast.",
    "pitfall_too_long": "The {pitfall} overlay is not drawn: it takes {steps} scheduler steps, "
    "more than the {maximum} allowed.",
    "pitfall_torch_fails": "With the {pitfall} mistake torch itself stops the run: {detail}",
}


IMPORT_WARNINGS = {
    "import_default_optimizer": "The text builds no optimizer lrscope can read; the default "
    "SGD(lr=0.1, momentum=0.9) is used.",
    "import_no_loop": "The text has no training loop around scheduler.step(); the run "
    "length and interval are lrscope's defaults: set them to your run's.",
    "import_argument_ignored": "{name} (line {line}) is not part of the schedule's shape and "
    "is left out.",
    "import_metric_synthetic": "ReduceLROnPlateau follows your validation loss, which the "
    "text does not hold; a synthetic loss curve stands in.",
    "import_chained": "{count} schedulers are stepped one after the other; they are read as "
    "one ChainedScheduler, which steps them the same way.",
    "import_first_of_several": "The text steps {count} schedulers, each in a loop of its "
    "own; the first is read. Paste one at a time to see the others.",
    "import_loop": "{count} schedulers are stepped at different places or under conditions "
    "on the count; they are read as one Loop, each stepped where the text steps it.",
    "import_note": "{detail}",
    "import_hf_optimizer": "optim {optim} is drawn as torch's AdamW: the learning rate "
    "schedule is the same.",
    "import_hf_warmup_ratio": "transformers {version} has no warmup_ratio (v5 removed it; "
    "a warmup_steps below 1 is the ratio now): {ratio} is read as that ratio.",
    "import_hf_fractional_epochs": "num_train_epochs = {epochs} is not whole: the run is "
    "drawn as one epoch of {steps} optimizer steps, as HF counts them.",
    "import_hf_semantics": "Read with transformers {version}'s rules: {warmup} warmup "
    "step(s) of {total} optimizer steps.",
}
