"""Every code in the message registry has an example that makes the server send it, with
params that word its message; no code is dead (one without an example fails here)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse

from lrscope.catalog import Param, default_catalog
from lrscope.codegen import render_hf
from lrscope.engine import evaluate
from lrscope.engine.torch_stepper import step_curves
from lrscope.errors import SpecError, got, token
from lrscope.logs import events
from lrscope.messages import ERRORS, MESSAGES, WARNINGS
from lrscope.recipes.presets import hf_preset
from lrscope.settings import Limits, Settings
from lrscope.spec import RunSpec, plain_issue
from lrscope.training.loop import run_to_end, start_event
from lrscope.training.spec import fit_preview, parse_train_spec, resolve_train
from lrscope.validation import resolve_run
from lrscope.validation.arguments import _value
from lrscope.validation.context import Context
from lrscope.web.admission import Admission
from lrscope.web.app import create_app
from lrscope.web.routes.catalog import HFRecipeRequest, hf_recipe_route
from tests.helpers.admission import admission_refusal, failing_store_answer
from tests.helpers.evaluation_work import die
from tests.helpers.executors import unavailable_items

Messages = list[dict[str, Any]]
STEP = {"type": "StepLR", "step_size": 2}
ONE = {"type": "OneCycleLR", "max_lr": 0.1}
SEQ = {"type": "SequentialLR", "milestones": [3], "schedulers": [STEP, STEP]}
LOOP = {"type": "Loop", "schedulers": [{"scheduler": STEP, "interval": "epoch"}]}
COS = {"type": "CosineAnnealingLR", "T_max": 50}
SETUP = {"dataset_size": 100, "batch_size": 10, "epochs": 10}  # 10 batches an epoch
TASK = {"name": "moons", "train_size": 64, "val_size": 64}


def run(scheduler: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"scheduler": scheduler, "epochs": 10, **extra}


def someone_elses_job(client: TestClient) -> Any:
    """DELETE of a job another client (another token) started."""
    starter = {"x-lrscope-client": "starter-" + "s" * 16}
    job_id = client.post("/api/jobs", json=job(), headers=starter).json()["id"]
    return client.delete(f"/api/jobs/{job_id}", headers={"x-lrscope-client": "other-" + "o" * 16})


def hf_code_refusal(spec: dict[str, Any]) -> Messages:
    """What ``POST /api/code?style=hf`` refuses a spec with."""
    run_spec = RunSpec.model_validate(spec)
    try:
        render_hf(run_spec, resolve_run(run_spec, default_catalog(), Limits()))
    except SpecError as exc:
        return list(exc.errors)
    raise AssertionError("not refused")


def hf_recipe_refusal(recipe: dict[str, Any]) -> Messages:
    """What ``POST /api/hf_recipe`` refuses an HF call with (on an lr of 0.1)."""
    try:
        hf_recipe_route(HFRecipeRequest.model_validate({"recipe": recipe, "lr": 0.1}))
    except RequestValidationError as exc:
        return list(exc.errors())
    raise AssertionError("not refused")


def job(**extra: Any) -> dict[str, Any]:
    return {"scheduler": STEP, "epochs": 2, "task": TASK, **extra}


def pydantic_issue(kind: str, **ctx: Any) -> Callable[[Path], Messages]:
    """One of pydantic's errors that no request here makes, worded directly."""
    e = {"type": kind, "loc": ("x",), "msg": "pydantic's words", "input": 3, "ctx": ctx}
    return lambda _: [plain_issue(e)]


def argument(p: Param, value: Any) -> Callable[[Path], Messages]:
    """An argument type the catalog does not have today, checked directly."""

    def call(_: Path) -> Messages:
        ctx = Context(default_catalog(), Limits())
        _value(ctx, p, value, ("x",), 1)
        return ctx.errors

    return call


def errors_of(call: Callable[[], Any]) -> Messages:
    with pytest.raises(SpecError) as raised:
        call()
    return raised.value.errors


def resolved_then(
    spec: dict[str, Any], change: Callable[[Any], None]
) -> Callable[[Path], Messages]:
    """A run that validation accepts, changed behind its back so that torch fails."""

    def call(_: Path) -> Messages:
        resolved = resolve_run(RunSpec.model_validate(spec), default_catalog(), Limits())
        change(resolved)
        return errors_of(lambda: step_curves(resolved))

    return call


def app_answer(
    request: Callable[[TestClient], Any], lifespan: bool = False, **settings: Any
) -> Callable[[Path], Messages]:
    """The items of an error answer from an app with these settings."""

    def call(tmp_path: Path) -> Messages:
        base = Settings(data_dir=tmp_path, static_dir=tmp_path, prewarm_workers=False)
        app = create_app(Settings(**{**base.__dict__, **settings}))
        client = TestClient(app)
        if not lifespan:
            return list(request(client).json()["detail"])
        with client:
            return list(request(client).json()["detail"])

    return call


def teapot(tmp_path: Path) -> Messages:
    app: FastAPI = create_app(Settings(data_dir=tmp_path, prewarm_workers=False))

    @app.get("/api/teapot")
    def brew() -> None:
        raise HTTPException(418, "I'm a teapot")

    return list(TestClient(app).get("/api/teapot").json()["detail"])


def broken_route(tmp_path: Path) -> Messages:
    app: FastAPI = create_app(Settings(data_dir=tmp_path, prewarm_workers=False))

    @app.get("/api/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    return list(TestClient(app).get("/api/broken").json()["detail"])


def start_warnings(_: Path) -> Messages:
    plan = resolve_train(parse_train_spec(job(scheduler={"type": "ExponentialLR", "gamma": 1.1})),
                         default_catalog(), Limits())  # fmt: skip
    return list(start_event(plan)["warning_details"])


def nested(depth: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(depth):
        value = [value]
    return value


def bump(resolved: Any, key: str, value: Any) -> None:
    resolved.scheduler.kwargs[key] = value


def imp(text: str, **values: Any) -> tuple[str, dict[str, Any]]:
    return ("import", {"text": text, "values": values})


POST = "/api/schedule"
JSON = {"content-type": "application/json"}
COSINE = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 100}, "epochs": 100}
WARM_COSINE = {"scheduler": {"type": "SequentialLR", "milestones": [10], "schedulers": [
    {"type": "LinearLR", "total_iters": 10}, {"type": "CosineAnnealingLR", "T_max": 90}]},
    "epochs": 100}  # fmt: skip


def logged(spec: dict[str, Any], at: Callable[[int], int], steps: int = 60) -> str:
    """A TensorBoard CSV of the spec's own curve read at ``at(step)``: a run with a mistake."""
    curve = evaluate({**spec, "epochs": 2000, "max_points": 0})["groups"][0]["lr"]
    return "Wall time,Step,Value\n" + "".join(f"1.0,{s},{curve[at(s)]!r}\n" for s in range(steps))


def compare(text: str, spec: dict[str, Any] = COSINE, **extra: Any) -> Callable[[Path], Messages]:
    """The error items, or the diagnosis, of POST /api/compare with this log."""

    def call(tmp_path: Path) -> Messages:
        client = TestClient(create_app(Settings(data_dir=tmp_path, prewarm_workers=False)))
        r = client.post("/api/compare", json={"spec": spec, "log": {"text": text}, **extra})
        return list(r.json()["detail"]) if r.status_code >= 400 else [r.json()["diagnosis"]]

    return call


def compare_bytes(data: bytes | str) -> Callable[[Path], Messages]:
    """POST /api/compare with the log as base64 (a binary file), or this text as base64."""
    encoded = base64.b64encode(data).decode() if isinstance(data, bytes) else data

    def call(tmp_path: Path) -> Messages:
        client = TestClient(create_app(Settings(data_dir=tmp_path, prewarm_workers=False)))
        r = client.post("/api/compare", json={"spec": COSINE, "log": {"base64": encoded}})
        return list(r.json()["detail"])

    return call


def no_tensorboard(tmp_path: Path) -> Messages:
    saved = events.Event
    events.Event = None
    try:
        return compare_bytes(b"\x01\0\0\0\0\0\0\0\0\0\0\0x\0\0\0\0")(tmp_path)
    finally:
        events.Event = saved


def unstored(tmp_path: Path) -> Messages:
    app = create_app(Settings(data_dir=tmp_path, prewarm_workers=False))
    app.state.logs.close()  # every write now fails as a full or broken disk would
    body = {"spec": COSINE, "log": {"text": logged(COSINE, lambda s: s)}}
    return list(TestClient(app).post("/api/compare", json=body).json()["warning_details"])


def short(state: str, broken: bool = False, **limits: int) -> Callable[[Path], Messages]:
    """The error items of POST /api/short with this state, under these limits (``broken``:
    the store's file cannot be opened)."""

    def call(tmp_path: Path) -> Messages:
        settings = Settings(data_dir=tmp_path, prewarm_workers=False, limits=Limits(**limits))
        if broken:  # a directory where the file should be
            (tmp_path / "short_links.sqlite3").mkdir()
        r = TestClient(create_app(settings)).post("/api/short", json={"state": state})
        return list(r.json()["detail"])

    return call


# code -> what makes the server send it: a /api/schedule body, ("jobs", a /api/jobs body),
# ("range_test_code", a /api/range_test_code body),
# ("raw", bytes posted to /api/schedule), ("get" or "put", a path), or a call returning the
# messages it makes.
EXAMPLES: dict[str, Any] = {
    # --- argument checks
    "too_small": run({"type": "StepLR", "step_size": 0}),
    "too_small_exclusive": run(STEP, metric={"synthetic": {"initial": 0}}),
    "too_large": run(STEP, optimizer={"type": "Adadelta", "rho": 2}),
    "too_large_exclusive": ("jobs", job(regularization={"dropout": 1})),
    "not_a_number": run({**STEP, "gamma": "x"}),
    "not_integer": run(STEP, epochs=2.5),
    "number_overflow": run({**STEP, "gamma": 10**400}),
    "not_finite": ("raw", b'{"scheduler": {"type": "StepLR", "step_size": 2, "gamma": NaN}}'),
    "integer_too_large": run({"type": "StepLR", "step_size": 10**13}),
    "not_null": run({"type": "StepLR", "step_size": None}),
    "per_group_length": run({"type": "CyclicLR", "base_lr": [0.1, 0.2], "max_lr": 1}),
    "not_boolean": run({**ONE, "three_phase": 3}),
    "not_in_choices": run({"type": "ReduceLROnPlateau", "mode": "x"}),
    "not_short_text": run(STEP, optimizer={"type": "Muon", "adjust_lr_fn": 5}),
    "unsupported_type": argument(Param(name="x", type="colour"), 1),
    "formula_not_text": run({"type": "LambdaLR", "lr_lambda": 5}),
    "formula_invalid": run({"type": "LambdaLR", "lr_lambda": "epoch +"}),
    "not_number_list": run({"type": "MultiStepLR", "milestones": "x"}),
    "not_number_pair": run(STEP, optimizer={"type": "Adam", "betas": [0.9]}),
    "too_many_items": run({"type": "MultiStepLR", "milestones": list(range(1, 10_002))}),
    "not_value_tuple": run(STEP, optimizer={"type": "Adafactor", "eps": [1]}),
    "not_plain_value": argument(Param(name="x", type="json"), {"a": 1}),
    "service_argument": run({**STEP, "optimizer": 1}),
    "unknown_argument": run({**STEP, "colour": 1}),
    "required_by": run({"type": "StepLR"}),
    # --- optimizer and scheduler tree
    "unknown_optimizer": run(STEP, optimizer={"type": "Nope"}),
    "param_groups_count": run(STEP, optimizer={"type": "SGD", "param_groups": []}),
    "torch_rejects_optimizer": run(STEP, optimizer={"type": "Rprop", "etas": [1.5, 0.5]}),
    "nested_too_deeply": run(
        {
            "type": "ChainedScheduler",
            "schedulers": [
                {
                    "type": "ChainedScheduler",
                    "schedulers": [
                        {
                            "type": "ChainedScheduler",
                            "schedulers": [
                                {
                                    "type": "ChainedScheduler",
                                    "schedulers": [
                                        {"type": "ChainedScheduler", "schedulers": [STEP]}
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ),
    "scheduler_type_required": run({"type": "ChainedScheduler", "schedulers": [{"step_size": 2}]}),
    "unknown_scheduler": run({"type": "Nope"}),
    "not_scheduler_list": run({"type": "ChainedScheduler", "schedulers": []}),
    "too_many_schedulers": run({"type": "ChainedScheduler", "schedulers": [STEP] * 100}),
    "not_scheduler_object": run({"type": "ChainedScheduler", "schedulers": [1]}),
    # --- structure rules
    "nesterov_needs_momentum": run(STEP, optimizer={"type": "SGD", "nesterov": True}),
    "no_momentum_to_cycle": run(ONE, optimizer={"type": "Adagrad"}),
    "milestones_count": run({**SEQ, "milestones": [3, 5]}),
    "milestones_not_increasing": run({**SEQ, "milestones": [3, 3], "schedulers": [STEP] * 3}),
    "metric_scheduler_nested": run({**SEQ, "schedulers": [STEP, {"type": "ReduceLROnPlateau"}]}),
    "composite_after_milestone": run(
        {**SEQ, "schedulers": [STEP, {"type": "ChainedScheduler", "schedulers": [STEP]}]}
    ),
    "below_base_lr": run({"type": "CyclicLR", "base_lr": 0.5, "max_lr": 0.1}),
    "onecycle_length_args": run({**ONE, "epochs": 10}),
    "onecycle_too_short": run({**ONE, "total_steps": 5}),
    "onecycle_no_warmup": run({**ONE, "total_steps": 10, "pct_start": 0.05}),
    "onecycle_no_warmup_run_length": run({**ONE, "pct_start": 0.05}),
    "onecycle_no_last_phase": run({**ONE, "pct_start": 0.6, "three_phase": True}),
    # --- the run
    "run_too_long": run(STEP, epochs=10_000_000, steps_per_epoch=10),
    "range_empty": run(STEP, range={"start": 5, "stop": 5}),
    "hf_floor_from_defaults": lambda _: hf_preset("polynomial", {})["warning_details"],
    "recipe_refused": lambda _: hf_recipe_refusal(
        {
            "name": "polynomial",
            "num_warmup_steps": 1,
            "num_training_steps": 9,
            "scheduler_specific_kwargs": {"lr_end": 1.0},
        }
    ),
    "no_recipe": lambda _: hf_code_refusal({"scheduler": STEP, "epochs": 3}),
    "recipe_mismatch": lambda _: hf_code_refusal(
        {**hf_preset("polynomial", {})["spec"], "optimizer": {"type": "AdamW", "lr": 1e-4}}
    ),
    "range_outside_run": run(STEP, range={"start": 5, "stop": 11}),
    "too_much_work": run({"type": "ChainedScheduler", "schedulers": [STEP] * 16}, epochs=2_000_000),
    "metric_too_short": run({"type": "ReduceLROnPlateau"}, metric={"values": [1.0]}),
    "response_too_large": run(
        STEP,
        epochs=1,
        steps_per_epoch=2_000_000,
        max_points=0,
        optimizer={"type": "SGD", "param_groups": [{}, {}]},
    ),
    "torch_rejects_optimizer_build": resolved_then(
        run(STEP), lambda r: r.optimizer.kwargs.update(lr=-1.0)
    ),
    "torch_rejects_scheduler": resolved_then(run(STEP), lambda r: bump(r, "colour", 1)),
    "formula_fails_at_build": resolved_then(
        run({"type": "LambdaLR", "lr_lambda": "1 / epoch"}),
        lambda r: None,
    ),
    "formula_fails_at_step": run({"type": "LambdaLR", "lr_lambda": "1 / (epoch - 5)"}),
    "torch_raised_at_step": resolved_then(
        run({**ONE, "total_steps": 10}), lambda r: bump(r, "total_steps", 5)
    ),
    "lr_not_finite": run({"type": "ExponentialLR", "gamma": 1e300}),
    # --- training jobs
    "weight_decay_twice": (
        "jobs",
        job(optimizer={"type": "SGD", "weight_decay": 0.1}, regularization={"weight_decay": 0.1}),
    ),
    "batch_larger_than_train_set": ("jobs", job(batch_size=100)),
    "job_too_long": ("jobs", job(epochs=2000, batch_size=1, task={**TASK, "train_size": 100})),
    "schedule_too_long": (
        "jobs",
        job(scheduler={**ONE}, fit={"to": "schedule", "epochs": 100, "steps_per_epoch": 10_000}),
    ),
    "fit_length_differs": ("jobs", job(fit={"to": "schedule", "epochs": 3})),
    "metric_scheduler_per_step": (
        "jobs",
        job(scheduler={"type": "ReduceLROnPlateau"}, interval="step"),
    ),
    "too_many_groups_for_model": ("jobs", job(optimizer={"param_groups": [{}] * 6})),
    "boundary_needs_2d": ("jobs", job(task={"name": "sine"}, boundary=True)),
    "momentum_cannot_train": ("jobs", job(scheduler={**ONE, "max_momentum": 1.5})),
    "range_test_only": ("jobs", job(range_test={})),
    "range_test_ignores": ("jobs", {"kind": "lr_range_test", "task": TASK, "epochs": 2}),
    "range_test_bounds": (
        "jobs",
        {"kind": "lr_range_test", "task": TASK, "range_test": {"min_lr": 1.0, "max_lr": 0.5}},
    ),
    "range_test_code_kind": ("range_test_code", job()),
    "fractional_unsupported": run(STEP, interval="fractional"),
    "resume_unsupported": run(
        {"type": "Loop", "schedulers": [{"scheduler": STEP, "interval": "epoch"}]},
        resume={"at_step": 1, "how": "state_dict"},
    ),
    "resume_at_step_range": run(STEP, resume={"at_step": 9, "how": "state_dict"}),
    "resume_mid_epoch": run(STEP, steps_per_epoch=2, resume={"at_step": 2, "how": "state_dict"}),
    "resume_no_last_epoch": run(
        {"type": "ChainedScheduler", "schedulers": [STEP]},
        resume={"at_step": 2, "how": "last_epoch"},
    ),
    "jobs_not_running": ("jobs", job()),
    "too_many_jobs_per_client": app_answer(
        lambda c: c.post("/api/jobs", json=job()), lifespan=True, jobs_per_client=0
    ),
    "too_many_jobs_per_ip": app_answer(
        lambda c: c.post("/api/jobs", json=job()), lifespan=True, jobs_per_ip=0
    ),
    "job_queue_full": app_answer(
        lambda c: c.post("/api/jobs", json=job()), lifespan=True, workers=0, queue_size=0
    ),
    # A run's end, worded in its done event (loc: the event it ends).
    "diverged_train_loss": lambda _: diverged_done(1e6, epochs=3, batch_size=8),
    "diverged_val_loss": lambda _: diverged_done(1e20, epochs=1, batch_size=32),
    # --- pydantic's errors
    "not_text": run({"type": 5}),
    "not_unicode": ("raw", b'{"scheduler": {"type": "\\ud800"}}'),
    "not_list": run(STEP, metric={"values": "x"}),
    "not_object": run(None),
    "not_expected": run(STEP, interval="batch"),
    "required": {"epochs": 3},
    "json_invalid": ("raw", b"{bad"),
    "not_a_field": run(STEP, colour="red"),
    "too_few_items": pydantic_issue("too_short", min_length=2),
    "list_too_long": run(STEP, optimizer={"type": "SGD", "param_groups": [{}] * 65}),
    "too_deep": run({**STEP, "x": nested(70)}),
    "setup_run_length": run(STEP, setup={"dataset_size": 10, "batch_size": 2}),
    "setup_conflict": run(STEP, steps_per_epoch=3, setup={**SETUP, "epochs": 2}),
    "setup_no_step": run(STEP, setup={**SETUP, "batch_size": 200, "drop_last": True}),
    "invalid": run({"type": ""}),
    # --- HTTP
    "body_unreadable": ("raw", b'{"scheduler": "\xff"}'),
    "body_too_large": app_answer(
        lambda c: c.post(POST, json=run(STEP)), limits=Limits(max_body_bytes=10)
    ),
    "origin_not_allowed": app_answer(
        lambda c: c.post("/api/jobs", json=job(), headers={"origin": "https://evil.example"})
    ),
    "job_not_found": ("get", "/api/jobs/nope"),
    "job_not_yours": app_answer(someone_elses_job, lifespan=True, workers=0),
    "admin_token_invalid": app_answer(
        lambda c: c.get("/api/jobs", headers={"x-lrscope-admin": "a guess"}), admin_token="t"
    ),
    "log_not_found": ("get", "/api/logs/nope"),
    # --- logged runs: malformed or oversized logs
    "log_too_large": compare("x" * 900_001),
    "log_too_many_rows": compare(json.dumps({"log_history": [{}] * 200_001})),
    "log_format_unknown": compare("just words"),
    "log_not_json": compare('{"log_history": ['),
    "log_history_missing": compare("{}"),
    "log_entry_not_object": compare('{"log_history": [3]}'),
    "log_field_missing": compare('{"log_history": [{"learning_rate": 0.1}]}'),
    "log_value_not_number": compare('{"log_history": [{"learning_rate": "x", "step": 1}]}'),
    "log_step_invalid": compare('{"log_history": [{"learning_rate": 0.1, "step": -1}]}'),
    "log_no_lr": compare('{"log_history": []}'),
    "log_tensorboard_json_shape": compare("[3]"),
    "log_csv_invalid": compare('Wall time,Step,Value\n1.0,0,"0.1\n'),
    "log_csv_column_missing": compare("epoch,step\n0,0\n"),
    "log_csv_row_length": compare("Wall time,Step,Value\n1.0,0\n"),
    "log_not_text": compare_bytes(b"\xff\xfe not UTF-8"),
    "log_base64_invalid": compare_bytes("!!not base64!!"),
    "log_events_invalid": compare_bytes(b"\x05\0\0\0\0\0\0\0\0\0\0\0ab"),
    "log_events_unavailable": no_tensorboard,
    "log_no_overlap": compare("Wall time,Step,Value\n1.0,500,0.1\n"),
    "log_group_missing": compare("Wall time,Step,Value\n1.0,0,0.1\n", group=3),
    "http_404": ("get", "/api/nope"),
    "http_405": ("put", POST),
    "http_error": teapot,
    "http_500": broken_route,
    "host_not_allowed": ("get_host", "/api/health"),
    "cursor_invalid": ("ws", "/ws/jobs/nope?after=1e20"),
    "evaluation_busy": admission_refusal(Admission(1, 0, 10**9, 30.0), admitted=1),
    "evaluation_memory": admission_refusal(Admission(1, 8, 1, 30.0), reserved=1),
    "evaluation_deadline": admission_refusal(Admission(1, 8, 10**9, 0.0)),
    "evaluation_client_left": admission_refusal(Admission(1, 8, 10**9, 30.0), left=True),
    "evaluation_worker_lost": admission_refusal(Admission(1, 8, 10**9, 30.0), work=die),
    "store_unwritable": failing_store_answer,
    "job_backend_unavailable": unavailable_items,
    # --- warnings
    "cycle_momentum_switches_on": run(ONE, optimizer={"type": "SGD"}),
    "momentum_diverges": run({**ONE, "max_momentum": 1.5}),
    "resume_departs": run(STEP, resume={"at_step": 4, "how": "rebuild"}),
    "chained_overrides": run({"type": "ChainedScheduler", "schedulers": [ONE, STEP]}),
    "onecycle_shared": run({"type": "ChainedScheduler", "schedulers": [ONE, ONE]}),
    "nested_sequential_early": run({**SEQ, "schedulers": [SEQ, STEP]}),
    "composite_in_sequential": run(
        {**SEQ, "schedulers": [{"type": "ChainedScheduler", "schedulers": [STEP]}, STEP]}
    ),
    "milestone_repeated": run({"type": "MultiStepLR", "milestones": [2, 2]}),
    "mode_ignored": run(
        {
            "type": "CyclicLR",
            "base_lr": 0.01,
            "max_lr": 0.1,
            "mode": "triangular",
            "scale_fn": "1.0",
        }
    ),
    "onecycle_total_steps_wins": run(
        {**ONE, "total_steps": 20, "epochs": 2, "steps_per_epoch": 10}
    ),
    "onecycle_partial": run({**ONE, "total_steps": 20}),
    "eta_min_above_lr": run({"type": "CosineAnnealingLR", "T_max": 10, "eta_min": 1}),
    "cosine_past_t_max": run({"type": "CosineAnnealingLR", "T_max": 3}),
    "gamma_above_one": run({"type": "ExponentialLR", "gamma": 1.1}),
    "milestone_never_reached": run({**SEQ, "milestones": [50]}),
    "metric_ignored": run(STEP, metric={"values": [1.0]}),
    "not_loop_entries": run({"type": "Loop", "schedulers": []}),
    "not_loop_entry": run({"type": "Loop", "schedulers": [3]}),
    "loop_interval": run(LOOP, interval="step"),
    "loop_partial_epoch": {"scheduler": LOOP, "setup": {**SETUP, "epochs": None, "max_steps": 15}},
    "loop_interval_required": run({"type": "Loop", "schedulers": [{"scheduler": STEP}]}),
    "loop_scheduler_required": run({"type": "Loop", "schedulers": [{"interval": "step"}]}),
    "end_not_after_begin": run(
        {"type": "Loop", "schedulers": [{**LOOP["schedulers"][0], "begin": 4, "end": 4}]}
    ),
    "loop_entry_never_steps": run(
        {"type": "Loop", "schedulers": [{**LOOP["schedulers"][0], "begin": 20}]}
    ),
    "loop_entries_overlap": run(
        {"type": "Loop", "schedulers": [LOOP["schedulers"][0], LOOP["schedulers"][0]]}
    ),
    "loop_synthetic_metric": run(
        {
            "type": "Loop",
            "schedulers": [{"scheduler": {"type": "ReduceLROnPlateau"}, "interval": "epoch"}],
        }
    ),
    "negative_lr": run({"type": "LambdaLR", "lr_lambda": "1 - epoch"}),
    # --- importing code and configs (POST /api/import)
    "import_unreadable": imp("s = StepLR(opt, step_size=f'{n}')"),
    "import_open_name": imp("s = StepLR(opt, step_size=n)"),
    "import_value_kind": imp("s = StepLR(opt, step_size=n)", n=[1]),
    "import_value_not_number": imp("s = StepLR(opt, step_size=n * 2)", n="x"),
    "import_invalid_value": imp("s = StepLR(opt, step_size=0)"),
    "import_no_scheduler": imp("opt = torch.optim.SGD(model.parameters(), lr=0.1)"),
    "import_unknown_format": imp("hello world"),
    "import_too_large": imp("#" * 200_001),
    "import_too_many_lines": imp("\n" * 5_001),
    "import_too_deep": imp("x = " + "(" * 41 + ")" * 41),
    "import_empty": imp("   "),
    "import_default_optimizer": imp("s = StepLR(opt, step_size=2)"),
    "import_no_loop": imp("s = StepLR(opt, step_size=2)"),
    "import_argument_ignored": imp("s = StepLR(opt, step_size=2, last_epoch=-1)"),
    "import_metric_synthetic": imp("s = ReduceLROnPlateau(opt)"),
    "import_chained": imp(
        "a = StepLR(opt, 2)\nb = ExponentialLR(opt, 0.9)\n"
        "for e in range(5):\n    a.step()\n    b.step()"
    ),
    "import_loop": imp(
        "a = StepLR(opt, 2)\nb = ExponentialLR(opt, 0.9)\n"
        "for e in range(5):\n    if e < 3:\n        a.step()\n    else:\n        b.step()"
    ),
    "import_first_of_several": imp(
        "a = StepLR(opt, 2)\nfor e in range(5):\n    a.step()\n"
        "b = ExponentialLR(opt, 0.9)\nfor e in range(5):\n    b.step()"
    ),
    "import_note": imp("--lr_scheduler_type polynomial --max_steps 100"),
    "import_hf_optimizer": imp("--lr_scheduler_type cosine --max_steps 100 --optim adafactor"),
    "import_hf_warmup_ratio": imp("--warmup_ratio 0.1 --max_steps 100"),
    "import_hf_fractional_epochs": imp("--num_train_epochs 1.5", steps_per_epoch=10),
    "import_hf_semantics": imp("--lr_scheduler_type cosine --max_steps 100"),
    "setup_leftover": run(STEP, setup={**SETUP, "grad_accum": 3}),
    "pitfall_per_process": run(COS, interval="step", setup={**SETUP, "devices": 2}),
    "pitfall_per_micro_batch": run(COS, interval="step", setup={**SETUP, "grad_accum": 2}),
    "pitfall_per_epoch_horizon": run(COS, interval="step", setup=SETUP),
    "pitfall_too_long": lambda _: evaluate(
        run(COS, interval="step", setup={**SETUP, "devices": 2}),
        limits=Limits(max_total_steps=60),
    )["warning_details"],
    "pitfall_torch_fails": run(ONE, interval="step", setup={**SETUP, "devices": 2}),
    # --- a logged run against the prediction: its diagnosis
    "log_scheduler_too_fast": compare(logged(COSINE, lambda s: 4 * s)),
    "log_scheduler_too_slow": compare(logged(COSINE, lambda s: s // 4)),
    "log_off_by_one_ahead": compare(logged(COSINE, lambda s: s + 1)),
    "log_off_by_one_behind": compare(logged(COSINE, lambda s: max(0, s - 1))),
    "log_warmup_missing": compare(
        logged({**COSINE, "scheduler": WARM_COSINE["scheduler"]["schedulers"][1]}, lambda s: s),
        WARM_COSINE,
    ),
    "log_restarted": compare(logged(COSINE, lambda s: s if s <= 30 else s - 30)),
    "log_unexplained": compare("Wall time,Step,Value\n1.0,0,0.3\n1.0,5,0.3\n1.0,9,0.3\n"),
    "log_not_stored": unstored,
    # --- serving a class: short links and QR codes
    "short_link_too_long": short("#" + "a" * 100, max_short_link_bytes=10),
    "short_link_not_a_link": short("//evil.example"),
    "short_links_full": short("#s=1", max_short_links=0),
    "short_link_not_stored": short("#s=1", broken=True),
    "short_link_not_found": ("get", "/s/nope"),
    "qr_text_too_long": ("get", "/api/qr?text=" + "x" * 2001),
    "rescale_no_length": lambda _: rescale_warnings({"type": "ExponentialLR", "gamma": 0.9}),
    "rescale_formula_kept": lambda _: rescale_warnings({"type": "LambdaLR", "lr_lambda": "0.9"}),
}


def rescale_warnings(scheduler: dict[str, Any]) -> Messages:
    """The warnings of a schedule rescaled to a job's length (POST /api/fit's answer)."""
    spec = parse_train_spec(job(scheduler=scheduler, fit={"to": "task", "epochs": 10}))
    return list(fit_preview(spec, default_catalog(), Limits())["rescaled"]["warning_details"])


def diverged_done(lr: float, **extra: Any) -> Messages:
    """A sine job at a huge lr: the done event's code, params and error as a message."""
    spec = job(task={"name": "sine", "train_size": 32}, optimizer={"type": "SGD", "lr": lr},
               **extra)  # fmt: skip
    done = run_to_end(resolve_train(parse_train_spec(spec), default_catalog(), Limits()))[-1]
    return [{"loc": ["done"], "code": done["code"], "params": done["params"], "msg": done["error"]}]


def produce(example: Any, client: TestClient, tmp_path: Path) -> Messages:
    """The error items and warning details the example makes the server send."""
    if callable(example):
        return list(example(tmp_path))
    kind, payload = example if isinstance(example, tuple) else ("schedule", example)
    if kind == "schedule":
        r = client.post(POST, json=payload)
    elif kind == "jobs":
        r = client.post("/api/jobs", json=payload)
    elif kind == "range_test_code":
        r = client.post("/api/range_test_code", json=payload)
    elif kind == "raw":
        r = client.post(POST, content=payload, headers=JSON)
    elif kind == "import":
        r = client.post("/api/import", json=payload)
    elif kind == "get_host":  # DNS rebinding: a name that is not this server's
        r = client.get(payload, headers={"host": "rebind.example"})
    elif kind == "ws":  # a handshake refused with an HTTP answer
        with pytest.raises(WebSocketDenialResponse) as denied:
            client.websocket_connect(payload).__enter__()
        r = denied.value
    else:
        r = client.request(kind.upper(), payload)
    body = r.json()
    return list(body["detail"]) if r.status_code >= 400 else list(body["warning_details"])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    # No lifespan: the job service is not running, so a valid job is refused (429).
    data = tmp_path_factory.mktemp("runs")
    return TestClient(create_app(Settings(data_dir=data, static_dir=data, prewarm_workers=False)))


def test_every_code_has_an_example() -> None:
    assert not set(MESSAGES) - set(EXAMPLES), sorted(set(MESSAGES) - set(EXAMPLES))
    assert not set(EXAMPLES) - set(MESSAGES), sorted(set(EXAMPLES) - set(MESSAGES))
    assert not set(ERRORS) & set(WARNINGS)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_sends_its_code(code: str, client: TestClient, tmp_path: Path) -> None:
    sent = produce(EXAMPLES[code], client, tmp_path)
    assert code in [m["code"] for m in sent], sent
    for m in sent:
        assert MESSAGES[m["code"]].format(**m["params"]) == m["msg"]
        assert all(isinstance(v, str) for v in m["params"].values())
    assert (code in WARNINGS) == all("loc" not in m for m in sent)


def test_the_catalog_sends_every_template(client: TestClient) -> None:
    assert client.get("/api/schedulers").json()["messages"] == MESSAGES


def test_a_job_start_event_words_its_warnings(tmp_path: Path) -> None:
    (w,) = start_warnings(tmp_path)
    assert w["code"] == "gamma_above_one" and w["params"] == {"scheduler": "ExponentialLR",
                                                              "gamma": "1.1"}  # fmt: skip


def test_a_value_quoted_back_has_a_language_neutral_token() -> None:
    assert got("abc") == {"got": "the text 'abc'", "value": "'abc'"}
    assert [token(v) for v in (None, True, 3.0, 2.5, [1], {"a": 1})] == [
        "null", "true", "3", "2.5", "[…]", "{…}"]  # fmt: skip
    assert token(10**400) == "100000000000...(401 digits)"


def test_every_message_a_test_meets_is_checked() -> None:
    """tests/conftest.py installs the contract check (tests/helpers/messages.py)."""
    assert SpecError.__init__.__name__ == "checked_init"
