"""Real HF-style runs (transformers 5.24's own ``get_scheduler``, saved with its own
``TrainerState.save_to_json``) held against the spec lrscope builds for them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from lrscope.logs import compare_log
from tests.helpers.hf_runs import LR, hf_spec, train_and_save

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _compare(tmp_path: Path, spec: dict[str, Any] | None = None, **run: Any) -> dict[str, Any]:
    path = train_and_save(tmp_path, **run)
    name, warmup, total = run.get("name", "linear"), run.get("warmup", 10), run.get("total", 60)
    return compare_log(spec or hf_spec(name, warmup, total), path.read_text())


@pytest.mark.parametrize("name", ["linear", "cosine", "constant_with_warmup"])
def test_a_real_hf_run_agrees_with_its_spec_bit_for_bit(tmp_path: Path, name: str) -> None:
    out = _compare(tmp_path, name=name)
    assert out["agree"] is True, out["first_divergence"]
    assert out["format"] == "hf_trainer_state"
    assert out["fit"] == {"cause": "as_specified", "params": {}, "matched": 12, "compared": 12,
                          "logged": 12, "max_rel_error": 0.0}  # fmt: skip
    assert out["first_divergence"] is None and out["diagnosis"] is None
    assert out["logged"]["lr"]["step"] == list(range(5, 61, 5))
    assert len(out["logged"]["loss"]["value"]) == 12


def test_the_last_logged_step_past_the_run_is_predicted_by_running_on(tmp_path: Path) -> None:
    # HF logs learning_rate at step 60 = max_steps: the rate after the run's last
    # scheduler.step(), point 60 of a 60-point curve; lrscope runs the spec on to compare it.
    out = _compare(tmp_path)
    assert out["num_steps"] == 60 and out["predicted"]["step"][-1] == 60
    assert out["predicted"]["lr"][-1] == 0.0 == out["logged"]["lr"]["value"][-1]


def test_a_scheduler_stepped_once_per_process_on_4_devices_is_diagnosed(tmp_path: Path) -> None:
    # accelerate's AcceleratedScheduler steps the wrapped scheduler num_processes times per
    # optimizer step (accelerate #963, #2926): 4 "devices" = 4 scheduler steps per step.
    out = _compare(tmp_path, scheduler_steps_per_step=4)
    assert out["agree"] is False
    first = out["first_divergence"]
    assert first["step"] == 5 and first["logged"] == LR * 40 / 50  # scheduler at 20: decay
    assert first["predicted"] == LR * 5 / 10
    d = out["diagnosis"]
    assert (d["code"], d["cause"]) == ("log_scheduler_too_fast", "scheduler_too_fast")
    assert d["params"]["factor"] == "4"
    assert d["fit"]["matched"] == d["fit"]["compared"] == 12
    assert "4 devices" in d["msg"]


# torch warns about the bug itself: the first micro-batch's scheduler.step() comes before
# the first optimizer.step().
@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before")
def test_a_scheduler_stepped_per_micro_batch_with_grad_accum_8_is_diagnosed(
    tmp_path: Path,
) -> None:
    # A hand loop that calls scheduler.step() after every micro-batch while the optimizer
    # steps every 8 (diffusers #4387): 8 scheduler steps per optimizer step.
    out = _compare(tmp_path, total=200, warmup=40, logging_steps=10,
                   grad_accum_stepping_per_micro_batch=8)  # fmt: skip
    d = out["diagnosis"]
    assert (d["cause"], d["params"]["factor"]) == ("scheduler_too_fast", "8")
    assert d["fit"]["matched"] == 20


def test_reading_the_rate_before_scheduler_step_is_an_off_by_one(tmp_path: Path) -> None:
    out = _compare(tmp_path, log_before_scheduler_step=True)
    d = out["diagnosis"]
    assert (d["code"], d["params"]["shift"]) == ("log_off_by_one_behind", "-1")
    assert d["fit"]["matched"] == 12


def test_a_resume_that_rebuilt_the_scheduler_is_a_restart(tmp_path: Path) -> None:
    # Stop at step 30 and resume with a new optimizer and scheduler that never loaded the
    # scheduler's state_dict: from step 30 the schedule starts again from its beginning.
    full = json.loads(train_and_save(tmp_path).read_text())
    restarted = [e for e in full["log_history"] if e.get("step", 0) <= 30 and "loss" in e]
    for e in full["log_history"]:
        if "loss" in e and e["step"] > 30:
            before = next(x for x in full["log_history"] if x.get("step") == e["step"] - 30)
            restarted.append({**e, "learning_rate": before["learning_rate"]})
    text = json.dumps({**full, "log_history": restarted}, indent=2)
    out = compare_log(hf_spec("linear", 10, 60), text)
    # at step 35 the restarted rate (warm-up point 5: 5/10) equals the decay (60-35)/50
    assert out["first_divergence"]["step"] == 40
    d = out["diagnosis"]
    assert (d["cause"], d["params"]["step"]) == ("restarted", "30")
    assert d["fit"]["matched"] == 12


def test_a_warmup_that_never_ran_is_diagnosed() -> None:
    # Spec: LinearLR warm-up then cosine (SequentialLR); the run built only the cosine.
    cosine = {"type": "CosineAnnealingLR", "T_max": 90}
    spec = {"scheduler": {"type": "SequentialLR", "milestones": [10], "schedulers": [
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 10}, cosine]},
        "epochs": 100}  # fmt: skip
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=90)
    rows = []
    for epoch in range(100):
        rows.append(f"{epoch},{opt.param_groups[0]['lr']!r},{epoch},")
        opt.step()
        sched.step()
    text = "epoch,lr-SGD,step,train_loss\n" + "\n".join(rows) + "\n"
    out = compare_log(spec, text)
    assert out["format"] == "lightning_csv" and out["first_divergence"]["step"] == 0
    assert out["diagnosis"]["cause"] == "warmup_missing"
    assert out["diagnosis"]["fit"]["matched"] == 100


def test_a_log_that_fits_no_common_mistake_says_so(tmp_path: Path) -> None:
    text = "Wall time,Step,Value\n" + "".join(f"1.0,{s},{0.3 + s * 1e-3}\n" for s in range(50))
    out = compare_log(hf_spec("linear", 10, 60), text)
    assert out["agree"] is False and out["diagnosis"]["cause"] == "unexplained"


def test_float32_logs_agree_within_their_tolerance_and_float64_ones_do_not() -> None:
    spec = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 50}, "epochs": 50}
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)
    f32 = []
    for _ in range(50):
        f32.append(float(torch.tensor(opt.param_groups[0]["lr"], dtype=torch.float32)))
        opt.step()
        sched.step()
    tb = "Wall time,Step,Value\n" + "".join(f"1.5,{s},{v!r}\n" for s, v in enumerate(f32))
    assert compare_log(spec, tb)["agree"] is True  # rtol 1e-6 for TensorBoard's float32
    assert compare_log(spec, tb, "tensorboard_csv", rtol=1e-12)["agree"] is False
