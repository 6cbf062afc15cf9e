"""The resume of an exported script: after optimizer step N (and the scheduler step that
follows it) the loop checkpoints, builds new objects from the spec and restores them as
``resume.how`` says, in the order engine/resume.py does."""

from __future__ import annotations

from lrscope.spec import ResumeSpec


def resume_block(
    resume: ResumeSpec,
    optimizer_lines: list[str],
    scheduler_lines: list[str],
    indent: str,
) -> list[str]:
    """Lines to put right after the loop's ``scheduler.step()``; ``scheduler_lines`` build
    the scheduler (with ``last_epoch = K - 1`` already in them for ``last_epoch``)."""
    load_optimizer = 'optimizer.load_state_dict(checkpoint["optimizer"])'
    if resume.how == "last_epoch":
        rebuild = [load_optimizer + "  # its groups carry initial_lr", *scheduler_lines]
    elif resume.how == "state_dict":
        rebuild = [*scheduler_lines, load_optimizer,
                   'scheduler.load_state_dict(checkpoint["scheduler"])']  # fmt: skip
    else:
        rebuild = [*scheduler_lines, load_optimizer + "  # the scheduler's state is forgotten"]
    body = [
        f"# resume ({resume.how}): a new optimizer and scheduler, as a restarted script",
        'checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}',
        *optimizer_lines,
        *rebuild,
    ]
    inner = indent + "    "
    lines = [f"{indent}if len(history) - 1 == {resume.at_step}:  # stopped after this step"]
    for line in body:
        lines += [inner + part for part in line.split("\n")]
    return lines
