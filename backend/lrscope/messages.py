"""Every message the server sends, by stable code: the English template of each.

An error item or a warning carries ``code`` and ``params`` beside its English ``msg``, and
``msg`` is always ``MESSAGES[code].format(**params)`` (``render`` makes it so), so a page
in another language words the same message from its own template and the same params.
``GET /api/schedulers`` sends this table as ``messages``.

Params are strings, ready to substitute: numbers formatted as the English shows them.
Where a message quotes a value back (``got {got}``: "got the text 'abc'"), ``value`` holds
the same value as a language-neutral token (``'abc'``, ``3``, ``null``, ``[…]``, ``{…}``).
A ``detail`` param is English text from elsewhere (torch, the formula compiler, pydantic).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lrscope.file_messages import (
    IMPORT_ERRORS,
    IMPORT_WARNINGS,
    LOG_ERRORS,
    SETUP_ERRORS,
    SETUP_WARNINGS,
)

Params = Mapping[str, str]

_ARGUMENTS = {
    "too_small": "must be at least {minimum}, got {got}",
    "too_small_exclusive": "must be greater than {minimum}, got {got}",
    "too_large": "must be at most {maximum}, got {got}",
    "too_large_exclusive": "must be less than {maximum}, got {got}",
    "not_a_number": "must be a number, got {got}",
    "not_integer": "must be a whole number, got {got}",
    "number_overflow": "is too large for a number ({digits} digits)",
    "not_finite": "must be a finite number",
    "integer_too_large": "is too large ({value}); at most 10**12",
    "not_null": "must not be null",
    "per_group_length": "has {count} values but the optimizer has {groups} param group(s); "
    "give one value per group, or a single value for all",
    "not_boolean": "must be true or false, got {got}",
    "not_in_choices": "must be one of {choices}; got {got}",
    "not_short_text": "must be a short text, got {got}",
    "unsupported_type": "has a type ({param_type}) this service cannot take",
    "formula_not_text": "must be a formula in '{variable}' written as text, e.g. "
    '"0.95 ** {variable}"; got {got}',
    "formula_invalid": "{detail} (in the formula {formula})",
    "not_number_list": "must be a list of numbers, got {got}",
    "not_number_pair": "must be a list of two numbers, got {count}",
    "too_many_items": "has {count} items; at most {maximum} are allowed",
    "not_value_tuple": "must be a list of {count} values ({shape}), got {got}",
    "not_plain_value": "must be a number, a text, true/false or a flat list of them, got {got}",
    "service_argument": "is set by lrscope itself, not by the spec",
    "unknown_argument": "is not an argument of {name} (its arguments: {arguments})",
    "required_by": "is required by {name}",
}

_OPTIMIZER_AND_TREE = {
    "unknown_optimizer": "unknown optimizer {name}; choose one of {choices}",
    "param_groups_count": "must hold 1 to {maximum} groups, got {count}",
    "torch_rejects_optimizer": "torch rejects this {optimizer} setting: {detail}",
    "nested_too_deeply": "schedulers are nested too deeply (at most {maximum} levels)",
    "scheduler_type_required": "is required: the name of a torch.optim.lr_scheduler class",
    "unknown_scheduler": "unknown scheduler {name}; choose one of {choices}",
    "not_scheduler_list": "must be a non-empty list of scheduler specs, got {got}",
    "too_many_schedulers": "has {count} schedulers; at most {maximum} are allowed",
    "not_scheduler_object": "must be a scheduler spec object, got {got}",
}

_RULES = {
    "nesterov_needs_momentum": "Nesterov momentum needs momentum above 0 and dampening 0 "
    "(here momentum = {momentum}, dampening = {dampening})",
    "no_momentum_to_cycle": "{optimizer} has no momentum or betas to cycle; set "
    "cycle_momentum to false, or pick an optimizer with momentum (SGD, RMSprop) or betas "
    "(Adam...)",
    "milestones_count": "needs exactly one milestone fewer than schedulers: {schedulers} "
    "scheduler(s) need {needed} milestone(s), got {count}",
    "milestones_not_increasing": "must be strictly increasing, e.g. [5, 50]; got {milestones}",
    "metric_scheduler_nested": "{scheduler} cannot go inside {parent}: it is stepped with a metric",
    "composite_after_milestone": "torch cannot switch to a {scheduler} at a milestone (it "
    "raises NotImplementedError); only the first scheduler of a SequentialLR may be a "
    "composite: restructure, e.g. put the SequentialLR inside a ChainedScheduler",
    "below_base_lr": "must be at least base_lr ({base_lr}), got {value}",
    "onecycle_length_args": "give both epochs and steps_per_epoch, or total_steps, or none "
    "of them (then total_steps is the run length)",
    "onecycle_too_short": "OneCycleLR is stepped {steps} times in this run, so it needs "
    "total_steps of at least {needed}, got {total}: past its end torch extrapolates and "
    "then raises an error. Give a larger value, or leave total_steps out to use the run "
    "length",
    "onecycle_no_warmup": "the warm-up gets no steps: pct_start x total_steps must be more "
    "than 1, got {pct_start} x {total} = {product}. Use pct_start above {min_pct_start}, or "
    "total_steps of at least {min_steps} steps",
    "onecycle_no_warmup_run_length": "the warm-up gets no steps: pct_start x total_steps "
    "must be more than 1, got {pct_start} x {total} = {product} (total_steps is the run "
    "length here). Use pct_start above {min_pct_start}, or a run of at least {min_steps} "
    "steps",
    "onecycle_no_last_phase": "pct_start = {pct_start} leaves the last phase no steps "
    "with total_steps = {total} and three_phase; use a pct_start below {max_pct_start}",
}

_RUN = {
    "resume_unsupported": "resume is not supported with {what} yet",
    "resume_at_step_range": "at_step must leave a step to resume into: at most {maximum} "
    "(the run's last step but one); got {value}",
    "resume_mid_epoch": "with scheduler.step() every epoch ({steps_per_epoch} steps), resume "
    "after the last step of an epoch, e.g. {before}; got {value}",
    "resume_no_last_epoch": "{scheduler} takes no last_epoch argument: resume it with "
    "'state_dict' or 'rebuild'",
    "fractional_unsupported": "'fractional' steps the scheduler with an epoch, "
    "scheduler.step(e + i / steps_per_epoch), which {scheduler} does not take; it works "
    "with {schedulers}. Use 'epoch' or 'step'",
    "recipe_refused": "transformers would refuse this call: {detail}",
    "no_recipe": "the HF call can only be written for a spec that says which "
    "get_scheduler call it came from (an HF preset's recipe); use style=torch",
    "recipe_mismatch": "no longer gives this scheduler: the curve was changed after it came "
    "from this HF call, so only the plain torch script (style=torch) reproduces it",
    "range_empty": "must be greater than range.start ({start}): the range is steps start to "
    "stop - 1, got stop = {stop}",
    "range_outside_run": "is past the end of the run: it has {steps} steps (0 to {last}), so "
    "stop must be at most {steps}, got {stop}",
    "run_too_long": "epochs x steps_per_epoch = {steps} steps; at most {maximum} are allowed",
    "too_much_work": "this run is too much work: about {work} learning-rate computations "
    "({steps} scheduler steps x schedulers x param groups x formula size); at most "
    "{maximum} are allowed. Use fewer epochs or steps, fewer param groups or schedulers, "
    "or shorter formulas",
    "metric_too_short": "has {count} values but the scheduler is stepped {needed} times; "
    "give one value per step (extra values are unused)",
    "response_too_large": "the response would hold {numbers} numbers ({points} points); at "
    "most {maximum} are allowed. Ask for fewer points (e.g. max_points = 2000 draws the "
    "same shape) or a shorter run",
    "torch_rejects_optimizer_build": "torch rejected the optimizer: {detail}",
    "torch_rejects_scheduler": "torch rejected the scheduler: {detail}",
    "formula_fails_at_build": "the formula fails when torch builds the scheduler: {detail}",
    "formula_fails_at_step": "the formula fails at scheduler step {step}: {detail}",
    "torch_raised_at_step": "torch raised {error} at scheduler step {step}: {detail}",
    "lr_not_finite": "the learning rate becomes {value} at step {step}; check the "
    "expression or arguments",
}

_LOOP = {
    "not_loop_entries": "must be a non-empty list of entries, each an object with a "
    "scheduler and an interval ('epoch' or 'step'); got {got}",
    "not_loop_entry": "must be an entry: an object with a scheduler and an interval "
    "('epoch' or 'step'), got {got}",
    "loop_partial_epoch": "stops part way through an epoch ({steps} optimizer steps at "
    "{steps_per_epoch} an epoch); a Loop runs whole epochs: give max_steps as a multiple of "
    "{steps_per_epoch}, or epochs",
    "loop_interval": "does not apply to a Loop: each entry states its own interval; leave it "
    "out (got {got})",
    "loop_interval_required": "is required in each Loop entry: 'epoch' (stepped at the end "
    "of each epoch) or 'step' (stepped after each optimizer step)",
    "loop_scheduler_required": "is required in each Loop entry: the spec of the scheduler it steps",
    "end_not_after_begin": "must be greater than begin ({begin}) or null, got {got}",
}

_TRAINING = {
    "momentum_cannot_train": "{argument} = {value} cannot train: momentum ≥ 1 makes SGD "
    "diverge; keep it below 1 for a training job (the schedule view still evaluates it)",
    "weight_decay_twice": "is also set in optimizer.weight_decay; set it in one place",
    "batch_larger_than_train_set": "is larger than the training set ({train_size} samples); "
    "use at most train_size",
    "job_too_long": "epochs x batches per epoch = {steps} optimizer steps; a job may take at "
    "most {maximum}",
    "schedule_too_long": "the schedule's own length, {epochs} epochs x {steps_per_epoch} "
    "batches = {steps} optimizer steps, is too long to train here (a job may take at most "
    "{maximum} steps and {max_epochs} epochs); the nearest that fits is the schedule rescaled "
    "to {near_epochs} epochs x {near_steps_per_epoch} batches ({near_steps} steps): fit.to "
    "'task' with those epochs and steps_per_epoch",
    "fit_length_differs": "is {got}, but fit.to 'schedule' trains the schedule's own length "
    "({epochs} epochs x {steps_per_epoch} batches); leave it out, or use fit.to 'task' to "
    "rescale the schedule to this length",
    "metric_scheduler_per_step": "{scheduler} is stepped on the validation loss, once per "
    "epoch: use interval 'epoch' (or leave it out)",
    "boundary_needs_2d": "the decision boundary is drawn only for the 2-D classification "
    "tasks (spirals, moons, overfit), not {task}",
    "too_many_groups_for_model": "has {count} groups but the model has only {layers} layers "
    "(one group takes one or more whole layers)",
    "jobs_not_running": "the job service is not running (starting or shutting down)",
    "too_many_jobs_per_client": "you already have {count} jobs queued or running (the limit "
    "is {limit}); wait for one to finish, in about {wait} s",
    "too_many_jobs_per_ip": "your network address already has {count} jobs queued or running "
    "(the limit for everyone behind one address is {limit}); wait for one to finish, in "
    "about {wait} s",
    "job_queue_full": "the job queue is full ({size} waiting); try again in about {wait} s",
    "diverged_train_loss": "the training loss became {value} at step {step}: the learning "
    "rate {lr} is too high for this run ({setting}); try {smaller}, or a warmup",
    "diverged_val_loss": "the validation loss became {value} at epoch {epoch}: the learning "
    "rate {lr} is too high for this run ({setting}); try {smaller}, or a warmup",
    "range_test_only": "is only used by a job of kind 'lr_range_test'",
    "range_test_ignores": "is not used by an LR range test (it sweeps the learning rate "
    "itself); leave it out",
    "range_test_code_kind": "must be 'lr_range_test': the script is an LR range test's",
    "range_test_bounds": "must be greater than min_lr ({min_lr}): the sweep runs from "
    "min_lr up to max_lr",
}

# Pydantic's errors, in the spec's words (spec/wording.py); some share the codes above.
_PYDANTIC = {
    "not_text": "must be text, got {got}",
    "not_unicode": "must be valid Unicode text (it holds a lone surrogate)",
    "not_list": "must be a list, got {got}",
    "not_object": "must be an object, got {got}",
    "not_expected": "must be {expected}, got {got}",
    "required": "required",
    "json_invalid": "the body is not valid JSON: {detail}",
    "not_a_field": "is not a field here; check the spelling",
    "too_few_items": "must have at least {minimum} items",
    "list_too_long": "must have at most {maximum} items",
    "too_deep": "is nested too deeply: at most {maximum} levels of lists and objects",
    "setup_run_length": "give exactly one of epochs and max_steps",
    "invalid": "{detail}",
}


_HTTP = {
    "body_unreadable": "the body could not be read: {detail}",
    "body_too_large": "the request body is larger than {limit} bytes",
    "origin_not_allowed": "requests from this origin are not allowed; add it to "
    "LRSCOPE_ALLOWED_ORIGINS",
    "job_not_found": "no job {job} (it may have been removed)",
    "job_not_yours": "job {job} was started by another client; only the client that started "
    "it, or the admin, may stop it",
    "admin_token_invalid": "this is not the server's admin token (LRSCOPE_ADMIN_TOKEN); "
    "check it, or leave the admin token out",
    "http_404": "Not Found",
    "http_405": "Method Not Allowed",
    "http_error": "{detail}",
    "http_500": "the server failed on this request ({error}); it is logged, please report it",
    "evaluation_busy": "the server is busy evaluating other schedules; try again in "
    "{retry_after} s",
    "evaluation_memory": "the server is holding as many exact answers as its memory budget "
    "({mb} MB) allows; try again in {retry_after} s or ask for fewer points (max_points)",
    "evaluation_deadline": "this schedule took longer than {seconds} s to evaluate and was "
    "stopped; ask for fewer steps",
    "evaluation_client_left": "the client left, so evaluating this schedule was stopped",
    "evaluation_worker_lost": "the process evaluating this schedule stopped unexpectedly; try "
    "again in {retry_after} s",
    "store_unwritable": "runs cannot be saved right now ({detail}); new jobs are refused "
    "until the data directory can be written",
    "job_backend_unavailable": "training jobs cannot run right now ({detail}); schedules "
    "still work",
    "cursor_invalid": "must be a whole number from -1 (from the start) to {maximum}, got {got}",
    "host_not_allowed": "the Host header {host} is not one this server answers to; add it "
    "to LRSCOPE_ALLOWED_HOSTS",
}

# --- serving a class: short links and QR codes (sharing/, web/routes/sharing.py) ----------

_SHARING = {
    "short_link_too_long": "is {size} bytes; a short link holds at most {maximum} bytes "
    "(LRSCOPE_MAX_SHORT_LINK_BYTES)",
    "short_link_not_a_link": "must be the part of a share link after its path, starting with "
    "'?' or '#', in URL characters only; got {got}",
    "short_links_full": "the server already keeps {maximum} short links, its limit "
    "(LRSCOPE_MAX_SHORT_LINKS); copy the full link instead",
    "short_link_not_found": "there is no short link {link_id}: check its letters (no 0, 1, i, "
    "l or o), or ask for a new one",
    "short_link_not_stored": "the short link could not be stored ({detail}); copy the full "
    "link instead",
    "qr_text_too_long": "is {size} bytes; a QR code here holds at most {maximum}",
}


# --- the training setup (``"setup"``: recipes/setup_counts.py) ------------------------------


WARNINGS = {
    "hf_floor_from_defaults": "HF's {name} takes its floor relative to "
    "optimizer.defaults['lr'] ({lr}), the optimizer's lr argument, not each param group's "
    "lr: a group with its own lr ends at a different floor than it would in torch terms",
    "cycle_momentum_switches_on": "{scheduler} with cycle_momentum=true switches momentum "
    "on: the optimizer had momentum = 0, and torch overwrites it with the cycled momentum.",
    "chained_overrides": "{scheduler} sets the rate from scratch at every step, so in a "
    "{parent} it overrides or mixes with the others' rates in torch's order-dependent way "
    "(its first value may not be its own). The curve shows what torch really does.",
    "onecycle_shared": "{count} OneCycleLRs in one run share the rates torch stores in the "
    "param groups (initial_lr, max_lr, min_lr): each one built later overwrites them, so "
    "the earlier ones run with the last one's settings.",
    "nested_sequential_early": "A SequentialLR inside another SequentialLR switches to its "
    "next scheduler one {unit} early (a torch quirk: the outer one steps it once more when "
    "it starts). The curve shows what torch really does.",
    "composite_in_sequential": "A {scheduler} inside a SequentialLR gets one extra step when "
    "the SequentialLR starts (a torch quirk), so its rates start one step ahead. The curve "
    "shows what torch really does.",
    "milestone_repeated": "MultiStepLR: milestone {milestone} is listed {times} times, so "
    "the rate is multiplied by gamma {times} times there.",
    "mode_ignored": "CyclicLR: mode is ignored when scale_fn is given (torch uses scale_fn "
    "and scale_mode instead).",
    "onecycle_total_steps_wins": "OneCycleLR: total_steps is given, so torch ignores epochs "
    "and steps_per_epoch.",
    "onecycle_partial": "OneCycleLR is set for {total} steps but this run computes only the "
    "first {used}: the rest of the cycle is not shown.",
    "eta_min_above_lr": "{scheduler}: eta_min = {eta_min} is above the initial learning "
    "rate, so the curve goes up instead of down.",
    "cosine_past_t_max": "CosineAnnealingLR is stepped {steps} times but T_max = {t_max}: "
    "past T_max the cosine rises again towards the initial rate (torch does not hold it at "
    "eta_min). Set T_max to the run length to decay once.",
    "gamma_above_one": "{scheduler}: gamma = {gamma} is above 1, so the learning rate grows "
    "instead of decaying.",
    "milestone_never_reached": "SequentialLR: the run ends before milestone {milestone}, so "
    "scheduler {position} ({scheduler}) never runs.",
    "metric_ignored": "A metric was given but the scheduler does not use one; it is ignored.",
    "loop_entry_never_steps": "Loop entry {position} ({scheduler}) is never stepped in this "
    "run: its begin, end and every leave no count before the run ends. It is still built, "
    "so its construction still sets the rate.",
    "loop_entries_overlap": "Loop entries {first} ({first_scheduler}) and {second} "
    "({second_scheduler}) are both stepped from optimizer step {step} on the same param "
    "groups: each one works from the rate the other left, in list order. The curve shows "
    "what torch really does.",
    "rescale_no_length": "{scheduler} ({where}) has no length to rescale: it runs as written "
    "over the new run length.",
    "rescale_formula_kept": "{scheduler}'s formula ({where}) is kept as written: the numbers "
    "in a formula are not rescaled.",
    "loop_synthetic_metric": "A ReduceLROnPlateau entry is stepped on lrscope's synthetic "
    "metric: give metric.values (one per epoch or step, by the run's own index) for yours.",
    "log_scheduler_too_fast": "The scheduler was stepped {factor} times per optimizer step "
    "({matched} of {logged} logged points fit): e.g. once per process on {factor} devices "
    "(accelerate steps a prepared scheduler num_processes times), or once per micro-batch "
    "with gradient accumulation {factor}.",
    "log_scheduler_too_slow": "The scheduler was stepped once every {factor} optimizer steps "
    "({matched} of {logged} logged points fit): the spec counts {factor} times more steps "
    "than the run took (e.g. steps counted per micro-batch or per device instead of per "
    "optimizer step).",
    "log_off_by_one_ahead": "The log is one scheduler step ahead of the spec ({matched} of "
    "{logged} logged points fit): it reads the rate after scheduler.step() but labels it "
    "with the step just taken.",
    "log_off_by_one_behind": "The log is one scheduler step behind the spec ({matched} of "
    "{logged} logged points fit): it reads the rate before scheduler.step(), where the spec "
    "convention (and HF) reads it after.",
    "log_warmup_missing": "The run had no warm-up ({matched} of {logged} logged points fit "
    "the spec without its first scheduler).",
    "log_restarted": "The schedule restarted from its beginning at step {step} ({matched} of "
    "{logged} logged points fit): a resume that rebuilt the scheduler without loading its "
    "state_dict.",
    "log_not_stored": "The parsed log could not be stored ({detail}), so a share link "
    "cannot reproduce this overlay.",
    "log_unexplained": "None of the common mistakes (steps scaled by devices or gradient "
    "accumulation, off by one, warm-up missing, restarted) explains most of the {logged} "
    "logged points.",
    "negative_lr": "The learning rate is negative ({value}) from step {step}: an optimizer "
    "would climb the loss instead of descending it.",
}


ERRORS = {**_ARGUMENTS, **_OPTIMIZER_AND_TREE, **_RULES, **_RUN, **_LOOP, **_TRAINING}
ERRORS |= {**_PYDANTIC, **LOG_ERRORS, **_HTTP, **SETUP_ERRORS, **IMPORT_ERRORS, **_SHARING}
WARNINGS |= {**SETUP_WARNINGS, **IMPORT_WARNINGS}
MESSAGES: dict[str, str] = {**ERRORS, **WARNINGS}


def printable(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate sent in the JSON ("\\ud800") is echoed
    escaped, where it would otherwise break the error response itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def render(code: str, params: Params) -> str:
    """The English message of ``code`` with ``params`` filled in."""
    return MESSAGES[code].format(**params)


def message(code: str, **params: str) -> dict[str, Any]:
    """``{"code", "params", "msg"}``: a warning as the API sends it."""
    clean = {k: printable(v) for k, v in params.items()}
    return {"code": code, "params": clean, "msg": render(code, clean)}
