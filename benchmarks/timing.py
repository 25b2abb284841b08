"""Timing shared by the benchmark scripts: the median of several passes, so one slow pass does not decide."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Callable


def timed(fn: Callable[[Path], object], files: list[Path], rounds: int) -> float:
    """Median seconds for one pass over all files."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for path in files:
            fn(path)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
