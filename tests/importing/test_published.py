"""Published snippets paste and plot, each checked against its source.

- torch 2.13's own examples: the ``Example`` block of every lr_scheduler class's docstring,
  read from the installed torch;
- Hugging Face Trainer commands from transformers' ``examples/pytorch/*/README.md``, whose
  curve must equal transformers' own scheduler stepped in a plain loop, bit for bit;
- a Lightning ``configure_optimizers`` in the shape of Lightning's docs and one from a public
  repository, a LightningCLI config and a Hydra config.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import torch
import transformers
from torch.optim import lr_scheduler

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.settings import Limits


def imported(text: str, **values: Any) -> dict[str, Any]:
    return import_text(text, values, default_catalog(), Limits())


def refusal(text: str, **values: Any) -> list[dict[str, Any]]:
    with pytest.raises(SpecError) as raised:
        imported(text, **values)
    return raised.value.errors


def docstring_examples(cls: type) -> list[str]:
    """The ``>>>`` blocks of a class's docstring, prompts kept (as a user copies them)."""
    blocks, block = [], []
    for line in (inspect.getdoc(cls) or "").splitlines():
        s = line.strip()
        if s.startswith(">>>") or (s.startswith("...") and block):
            block.append(s)
        elif block:
            blocks.append("\n".join(block))
            block = []
    return blocks + (["\n".join(block)] if block else [])


# What each docstring example builds, read by hand from torch 2.13's lr_scheduler.py.
TORCH_DOCS: dict[str, dict[str, Any]] = {
    "LambdaLR": {"type": "LambdaLR", "lr_lambda": ["epoch // 30", "0.95**epoch"]},
    "MultiplicativeLR": {"type": "MultiplicativeLR", "lr_lambda": "0.95"},
    "StepLR": {"type": "StepLR", "step_size": 30, "gamma": 0.1},
    "MultiStepLR": {"type": "MultiStepLR", "milestones": [30, 80], "gamma": 0.1},
    "ConstantLR": {"type": "ConstantLR", "factor": 0.5, "total_iters": 40},
    "LinearLR": {"type": "LinearLR", "start_factor": 0.05, "total_iters": 40},
    "ExponentialLR": {"type": "ExponentialLR", "gamma": 0.95},
    "SequentialLR": {
        "type": "SequentialLR",
        "schedulers": [
            {"type": "ConstantLR", "factor": 0.1, "total_iters": 20},
            {"type": "ExponentialLR", "gamma": 0.9},
        ],
        "milestones": [20],
    },
    "CosineAnnealingLR": {"type": "CosineAnnealingLR", "T_max": 100},
    "ChainedScheduler": {
        "type": "ChainedScheduler",
        "schedulers": [
            {"type": "ConstantLR", "factor": 0.1, "total_iters": 20},
            {"type": "ExponentialLR", "gamma": 0.9},
        ],
    },
    "ReduceLROnPlateau": {"type": "ReduceLROnPlateau", "mode": "min"},
    "CyclicLR": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 10},
    "CosineAnnealingWarmRestarts": {"type": "CosineAnnealingWarmRestarts", "T_0": 20},
    "OneCycleLR": {"type": "OneCycleLR", "max_lr": 0.01, "steps_per_epoch": 100, "epochs": 10},
    "PolynomialLR": {"type": "PolynomialLR", "total_iters": 50, "power": 0.9},
}


def test_every_scheduler_with_a_docstring_example_is_pinned() -> None:
    documented = {n for n in lr_scheduler.__all__ if docstring_examples(getattr(lr_scheduler, n))}
    assert documented == set(TORCH_DOCS)


@pytest.mark.parametrize("name", sorted(TORCH_DOCS))
def test_torch_docstring_example_imports_and_plots(name: str) -> None:
    (example, *_) = docstring_examples(getattr(lr_scheduler, name))
    values = {"len(data_loader)": 100} if "data_loader" in example else {}
    result = imported(example, **values)
    assert result["format"] == "pytorch"
    spec = result["spec"]
    assert spec["scheduler"] == TORCH_DOCS[name]
    assert spec["interval"] == ("step" if name in ("CyclicLR", "OneCycleLR") else "epoch")
    assert evaluate(spec)["num_steps"] == spec["epochs"] * spec.get("steps_per_epoch", 1)


def test_torch_docstring_loop_gives_the_run_length() -> None:
    (example, *_) = docstring_examples(lr_scheduler.OneCycleLR)
    spec = imported(example, **{"len(data_loader)": 100})["spec"]
    assert (spec["epochs"], spec["steps_per_epoch"]) == (10, 100)
    assert spec["optimizer"] == {"type": "SGD", "lr": 1e-4, "momentum": 0.9}


def test_the_data_loader_the_docs_leave_open_is_asked_for() -> None:
    (example, *_) = docstring_examples(lr_scheduler.OneCycleLR)
    errors = refusal(example)
    assert [e["loc"] for e in errors] == [["values", "len(data_loader)"]]
    assert errors[0]["code"] == "import_open_name" and errors[0]["params"]["line"] == "5"


# transformers examples/pytorch/speech-recognition/README.md, "Multi GPU CTC with Dataset
# Streaming" (a max_steps run with linear warmup; the stray ** is in the README).
SPEECH_STREAMING = r"""**torchrun \
	--nproc_per_node 4 run_speech_recognition_ctc_streaming.py \
	--dataset_name="mozilla-foundation/common_voice_17_0" \
	--model_name_or_path="facebook/wav2vec2-xls-r-300m" \
	--output_dir="wav2vec2-xls-r-common_voice-tr-ft" \
	--max_steps="5000" \
	--per_device_train_batch_size="8" \
	--gradient_accumulation_steps="2" \
	--learning_rate="5e-4" \
	--warmup_steps="500" \
	--eval_strategy="steps" \
	--eval_metrics wer cer \
	--chars_to_ignore , ? . ! - \; \: \" “ % ‘ ” � \
	--fp16 \
	--push_to_hub \
	--do_train --do_eval \
	--gradient_checkpointing**
"""

# transformers examples/pytorch/image-classification/README.md, "Using datasets from Hub"
# (ViT on beans: 5 epochs, default linear schedule, no warmup).
BEANS = r"""python run_image_classification.py \
    --dataset_name beans \
    --output_dir ./beans_outputs/ \
    --remove_unused_columns False \
    --do_train \
    --do_eval \
    --learning_rate 2e-5 \
    --num_train_epochs 5 \
    --per_device_train_batch_size 8 \
    --per_device_eval_batch_size 8 \
    --logging_strategy steps \
    --logging_steps 10 \
    --evaluation_strategy epoch \
    --save_strategy epoch \
    --load_best_model_at_end True \
    --save_total_limit 3 \
    --seed 1337
"""


def hf_curve(name: str, lr: float, warmup: int, total: int) -> list[float]:
    """transformers' own scheduler, stepped once per optimizer step."""
    optimizer = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = transformers.get_scheduler(name, optimizer, warmup, total)
    lrs = []
    for _ in range(total):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def test_hf_streaming_command_equals_transformers_bitwise() -> None:
    result = imported(SPEECH_STREAMING)
    spec = result["spec"]
    assert result["format"] == "hf_args"
    assert (spec["epochs"], spec["steps_per_epoch"], spec["interval"]) == (1, 5000, "step")
    assert spec["optimizer"]["type"] == "AdamW" and spec["optimizer"]["lr"] == 5e-4
    got = evaluate({**spec, "max_points": 0})["groups"][0]["lr"]
    assert got == hf_curve("linear", 5e-4, 500, 5000)


def test_hf_epoch_command_asks_for_the_dataset_size() -> None:
    errors = refusal(BEANS)
    assert [e["loc"] for e in errors] == [["values", "dataset_size"]]
    # beans has 1034 training images: ceil(1034 / 8) = 130 optimizer steps per epoch
    spec = imported(BEANS, dataset_size=1034)["spec"]
    assert "epochs" not in spec and "steps_per_epoch" not in spec  # the setup decides
    assert spec["setup"] == {
        "dataset_size": 1034, "batch_size": 8, "devices": 1, "grad_accum": 1,
        "drop_last": False, "epochs": 5, "framework": "hf",
    }  # fmt: skip
    got = evaluate({**spec, "max_points": 0})["groups"][0]["lr"]
    assert got == hf_curve("linear", 2e-5, 0, 650)
    # or the optimizer steps per epoch, counted by the user
    counted = imported(BEANS, steps_per_epoch=130)["spec"]
    assert (counted["epochs"], counted["steps_per_epoch"]) == (5, 130)


# transformers examples/pytorch/speech-recognition/README.md, "Multi GPU CTC" (8 processes)
SPEECH_MULTI_GPU = r"""torchrun \
	--nproc_per_node 8 run_speech_recognition_ctc.py \
	--dataset_name="mozilla-foundation/common_voice_17_0" \
	--num_train_epochs="15" \
	--per_device_train_batch_size="4" \
	--learning_rate="3e-4" \
	--warmup_steps="500" \
	--do_train --do_eval
"""


def test_hf_multi_gpu_command_counts_steps_over_all_processes() -> None:
    spec = imported(SPEECH_MULTI_GPU, dataset_size=10_000)["spec"]
    assert spec["setup"]["devices"] == 8 and spec["setup"]["epochs"] == 15
    result = evaluate({**spec, "max_points": 0})
    # 8 processes x 4 per device: ceil(10000 / 32) = 313 optimizer steps per epoch
    assert result["num_steps"] == 15 * 313
    got = result["groups"][0]["lr"]
    assert got == hf_curve("linear", 3e-4, 500, 15 * 313)


def test_hf_warmup_below_one_is_a_ratio_with_ceil() -> None:
    spec = imported("--lr_scheduler_type cosine --warmup_steps 0.1 --max_steps 1005")["spec"]
    got = evaluate({**spec, "max_points": 0})["groups"][0]["lr"]
    assert got == hf_curve("cosine", 5e-5, 101, 1005)  # ceil(1005 * 0.1) = 101


def test_hf_greedy_is_refused_naming_the_type() -> None:
    (error,) = refusal("--lr_scheduler_type greedy --max_steps 10")
    assert error["loc"] == ["text"] and "lr_scheduler_type" in error["msg"]


def test_hf_json_and_yaml_arguments() -> None:
    as_json = imported('{"lr_scheduler_type": "constant_with_warmup", "warmup_steps": 10, '
                       '"max_steps": 50, "learning_rate": 1e-4}')  # fmt: skip
    as_yaml = imported("lr_scheduler_type: constant_with_warmup\nwarmup_steps: 10\n"
                       "max_steps: 50\nlearning_rate: 1.0e-4\n")  # fmt: skip
    assert (as_json["format"], as_yaml["format"]) == ("hf_json", "hf_yaml")
    assert as_json["spec"] == as_yaml["spec"]
    got = evaluate({**as_json["spec"], "max_points": 0})["groups"][0]["lr"]
    assert got == hf_curve("constant_with_warmup", 1e-4, 10, 50)


# The HF "no trainer" loop, as transformers' examples write it (run_glue_no_trainer.py).
HF_LOOP = """
optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=args.learning_rate)
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / args.gradient_accumulation_steps)
max_train_steps = args.num_train_epochs * num_update_steps_per_epoch
lr_scheduler = get_scheduler(
    name=args.lr_scheduler_type,
    optimizer=optimizer,
    num_warmup_steps=args.num_warmup_steps,
    num_training_steps=max_train_steps,
)
for epoch in range(starting_epoch, args.num_train_epochs):
    for step, batch in enumerate(train_dataloader):
        outputs = model(**batch)
        accelerator.backward(outputs.loss)
        optimizer.step()
        lr_scheduler.step()
        optimizer.zero_grad()
"""


def test_hf_no_trainer_loop_names_what_it_leaves_open() -> None:
    names = {e["loc"][1] for e in refusal(HF_LOOP)}
    assert {"args.learning_rate", "args.lr_scheduler_type", "args.num_warmup_steps"} <= names
    assert "len(train_dataloader)" in names


def test_hf_no_trainer_loop_with_its_values_equals_transformers() -> None:
    values = {
        "args.learning_rate": 3e-5, "args.gradient_accumulation_steps": 1,
        "args.num_train_epochs": 2, "len(train_dataloader)": 40, "starting_epoch": 0,
        "args.lr_scheduler_type": "cosine", "args.num_warmup_steps": 8,
    }  # fmt: skip
    result = imported(HF_LOOP, **values)
    assert result["format"] == "hf_code"
    got = evaluate({**result["spec"], "max_points": 0})["groups"][0]["lr"]
    assert got == hf_curve("cosine", 3e-5, 8, 80)


# Lightning's docs (LightningModule.configure_optimizers): the lr_scheduler_config form.
LIGHTNING_DOCS = """
class LitModel(L.LightningModule):
    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {
                "scheduler": scheduler,
                "interval": "step",
                "frequency": 1,
            },
        }

trainer = L.Trainer(max_epochs=3)
"""

# A public LightningModule (GitHub code search), using its hyper-parameters object.
LIGHTNING_ARGS = """
    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.args.lr)
        scheduler = torch.optim.lr_scheduler.StepLR(
            optimizer,
            step_size=self.args.scheduler_step,
            gamma=self.args.scheduler_gamma,
        )
        return {
            "optimizer": optimizer,
            "lr_scheduler": {
                "scheduler": scheduler,
                "monitor": "metric_to_track",
                "frequency": self.args.scheduler_frequency,
            },
        }
"""


def test_lightning_docs_configure_optimizers() -> None:
    result = imported(LIGHTNING_DOCS, **{"len(train_dataloader)": 20})
    assert result["format"] == "lightning"
    assert result["spec"] == {
        "scheduler": {"type": "ExponentialLR", "gamma": 0.9},
        "optimizer": {"type": "Adam", "lr": 1e-3},
        "epochs": 3,
        "steps_per_epoch": 20,
        "interval": "step",
    }


def test_lightning_module_from_a_repository() -> None:
    text = "class M(LightningModule):\n" + LIGHTNING_ARGS
    names = {e["loc"][1] for e in refusal(text)}
    assert names >= {"self.args.lr", "self.args.scheduler_step", "self.args.scheduler_gamma"}
    values = {
        "self.args.lr": 1e-3, "self.args.scheduler_step": 5, "self.args.scheduler_gamma": 0.5,
        "self.args.scheduler_frequency": 1, "max_epochs": 20,
    }  # fmt: skip
    spec = imported(text, **values)["spec"]
    assert spec["scheduler"] == {"type": "StepLR", "step_size": 5, "gamma": 0.5}
    assert spec["epochs"] == 20 and spec["interval"] == "epoch"


# LightningCLI's docs ("Configure hyperparameters from the CLI": optimizers and schedulers).
LIGHTNING_CLI = """
optimizer:
  class_path: torch.optim.SGD
  init_args:
    lr: 0.01
    momentum: 0.9
lr_scheduler:
  class_path: torch.optim.lr_scheduler.ReduceLROnPlateau
  init_args:
    monitor: val_loss
    patience: 2
trainer:
  max_epochs: 30
"""

# A Hydra config in the lightning-hydra-template layout (_partial_ objects, interpolation).
HYDRA = """
trainer:
  max_epochs: 40
model:
  optimizer:
    _target_: torch.optim.Adam
    _partial_: true
    lr: 0.001
    weight_decay: 0.0
  scheduler:
    _target_: torch.optim.lr_scheduler.CosineAnnealingLR
    _partial_: true
    T_max: ${trainer.max_epochs}
    eta_min: 1.0e-5
"""


def test_lightning_cli_yaml() -> None:
    result = imported(LIGHTNING_CLI)
    assert result["format"] == "lightning_cli"
    assert result["spec"]["scheduler"] == {"type": "ReduceLROnPlateau", "patience": 2}
    assert result["spec"]["optimizer"] == {"type": "SGD", "lr": 0.01, "momentum": 0.9}
    assert result["spec"]["epochs"] == 30


def test_hydra_yaml_with_interpolation() -> None:
    result = imported(HYDRA)
    assert result["format"] == "hydra"
    assert result["spec"]["scheduler"] == {
        "type": "CosineAnnealingLR", "T_max": 40, "eta_min": 1e-5}  # fmt: skip
    assert result["spec"]["optimizer"] == {"type": "Adam", "lr": 0.001, "weight_decay": 0.0}


# The shape of PyTorch's ImageNet example (pytorch/examples, imagenet/main.py): the batch
# loop lives in train(), called once per epoch; here the scheduler steps per batch inside it.
PER_BATCH_IN_A_FUNCTION = """
def train(train_loader, model, criterion, optimizer, epoch):
    for i, (images, target) in enumerate(train_loader):
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()

optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=90 * 5005)
for epoch in range(0, 90):
    train(train_loader, model, criterion, optimizer, epoch)
"""


def test_steps_inside_a_function_count_the_loops_around_its_call() -> None:
    spec = imported(PER_BATCH_IN_A_FUNCTION, **{"len(train_loader)": 5005})["spec"]
    assert (spec["interval"], spec["epochs"], spec["steps_per_epoch"]) == ("step", 90, 5005)
    assert spec["optimizer"] == {"type": "SGD", "lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4}
