"""How often torch steps each scheduler of a run, composite quirks included, without torch.

A composite steps its children in ways that are easy to get wrong by hand: SequentialLR's
constructor undoes its children's first step and re-runs child 0's (so a SequentialLR or
ChainedScheduler inside it starts one step ahead), and a child reached at a milestone
restarts from 0. Validation needs the real counts before torch runs: OneCycleLR fails
past ``total_steps``, a cosine rises again past ``T_max``. This module replays torch's
bookkeeping on counters only, a run of steps at a time, so its cost does not grow with the
number of steps.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["leaf", "sequential", "chained"]


@dataclass
class Counter:
    """One scheduler's ``last_epoch`` as torch keeps it, and what it computed."""

    kind: Kind
    milestones: list[int] = field(default_factory=list)
    children: list[Counter] = field(default_factory=list)
    last_epoch: int = -1
    max_epoch: int = -1  # the highest ``last_epoch`` at which it computed a rate
    computes: int = 0  # rate computations (leaves) or step calls (composites)

    def walk(self) -> list[Counter]:
        return [self, *(n for c in self.children for n in c.walk())]


def _record(node: Counter) -> None:
    node.max_epoch = max(node.max_epoch, node.last_epoch)
    node.computes += 1


def construct(node: Counter) -> None:
    """What the constructors do, children first (as they are built)."""
    for child in node.children:
        construct(child)
    if node.kind == "leaf":  # LRScheduler.__init__ performs step 0
        node.last_epoch = 0
        _record(node)
    elif node.kind == "sequential":
        node.last_epoch = 0
        node.max_epoch = 0
        for child in node.children:  # SequentialLR.recursive_undo: leaves only
            _undo(child)
        step(node.children[0], 1)  # child 0's _initial_step()


def _undo(node: Counter) -> None:
    if node.kind == "leaf":
        node.last_epoch -= 1
    else:
        for child in node.children:
            _undo(child)


def _restart(node: Counter) -> None:
    """``_update_lr(0)`` at a milestone (only leaves get here: the structure rules refuse a
    composite after a SequentialLR's first child, where torch raises NotImplementedError)."""
    node.last_epoch = 0
    _record(node)


def step(node: Counter, count: int) -> None:
    """``count`` calls of ``node.step()``."""
    if count <= 0:
        return
    if node.kind == "leaf":
        node.last_epoch += count
        node.max_epoch = max(node.max_epoch, node.last_epoch)
        node.computes += count
        return
    node.computes += count
    if node.kind == "chained":
        for child in node.children:
            step(child, count)
        return
    first, last = node.last_epoch + 1, node.last_epoch + count
    node.last_epoch = last
    node.max_epoch = max(node.max_epoch, last)
    ms = node.milestones
    epoch = first
    while epoch <= last:
        idx = bisect_right(ms, epoch)
        if idx > 0 and ms[idx - 1] == epoch:
            _restart(node.children[idx])
            epoch += 1
            continue
        until = min(last, ms[idx] - 1) if idx < len(ms) else last
        step(node.children[idx], until - epoch + 1)
        epoch = until + 1


def simulate(root: Counter, values: int) -> Counter:
    """Build ``root`` and step it ``values - 1`` times: one value per scheduler state used."""
    construct(root)
    step(root, values - 1)
    return root
