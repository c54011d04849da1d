"""Shared by the benchmarks: timing requests, rows of the report."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.test import Client


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    target: str = ""
    ratio: str = ""
    ok: bool | None = None


def timed_requests(client: Client, path: str, params: dict, runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds of each request (after a warm-up), failing loudly on an error status."""
    for _ in range(warmup):
        response = client.get(path, params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return timings


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
