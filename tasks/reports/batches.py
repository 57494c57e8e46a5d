"""How the periodic report shares a province's plans among child runs: a few batches, each compiled in one process.

A child run on the cluster costs about 9 s before its first report (the worker starts a process for it), a plan's
report about 0.5 s. So the rule is one batch per run slot the pool has online (workers × runs at once on each),
which keeps every slot busy and pays the process start once per slot; and no batch holds more than `most` plans,
so that a large province still shows progress, a batch stays well within the parent's wait, and a slow or
dying worker holds back only a share of the plans.
"""

from __future__ import annotations


def batch_count(plans: int, *, slots: int, most: int) -> int:
    """How many batches `plans` plans make: one per slot online (none known: one), more when a batch would
    exceed `most` plans, never more batches than plans."""
    if plans <= 0:
        return 0
    needed = -(-plans // max(most, 1))  # ceiling: batches of at most `most` plans
    return min(plans, max(slots, needed, 1))


def split(codes: list[str], count: int) -> list[list[str]]:
    """`codes` in `count` consecutive batches, in order, sizes differing by one at most: every plan in exactly one
    batch, and each batch named by its first and last plan."""
    count = max(1, min(count, len(codes)))
    size, extra = divmod(len(codes), count)
    batches, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        batches.append(codes[start:end])
        start = end
    return [batch for batch in batches if batch]
