"""Load: 200 members at once against gunicorn + PostgreSQL + Redis on loopback, on realistic data:
the Atlas at full scale (12,000 projects), at least 1,000 pages of which about 30 % are
padlocked, and 200 members of the nine groups, each with their own app session.

Each member starts requests as independent people do, at the moments of a Poisson process of
mean gap ``INTERVAL`` seconds, whatever the answers take (``bench/locustfile.py`` says why not
locust's ``constant_pacing``), so the offered rate is known: members / interval. The served rate is what
the server answered per second once every member had started; p50 and p95 are given per
endpoint and over all requests, from the moment every member runs, after a warm-up. Targets
on a 2-core machine: served >= 95 % of offered, p95 < 300 ms over all requests, no error.
Bounded: ``DURATION`` of steady load after a ramp of a few seconds. Needs PostgreSQL at
``BENCH_DATABASE_URL`` (default: the machine's, database ``cncd_bench_load``, created afresh)
and Redis at ``BENCH_REDIS_URL`` (database 8, emptied). ``BENCH_WORKERS`` sets gunicorn's workers
(default: gunicorn's advice, twice the cores plus one).
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from bench.common import Row

ROOT = Path(__file__).resolve().parent.parent
USERS, SPAWN_RATE, DURATION, INTERVAL = 200, 50, 60, 2.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _steady_rate(history: Path, ramp_seconds: float) -> float:
    """Requests answered per second once every member runs: from locust's per-second history."""
    with history.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]
    start = int(rows[0]["Timestamp"]) + ramp_seconds
    steady = [row for row in rows if int(row["Timestamp"]) >= start]
    first, last = steady[0], steady[-1]
    seconds = int(last["Timestamp"]) - int(first["Timestamp"])
    answered = int(last["Total Request Count"]) - int(first["Total Request Count"])
    return answered / seconds if seconds else 0.0


def _warm_up(port: int, workers: int) -> None:
    """What a deployment does before taking traffic: each worker builds its Atlas summary and
    imports what the first requests need (the figures are of the steady state; locust also
    resets its statistics once every member has started)."""
    for _ in range(workers * 4):
        for path in ("/api/atlas/facets/", "/api/atlas/projects/?limit=1", "/api/pages/?limit=1", "/healthz"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:  # noqa: S310
                answer.read()


def run() -> list[Row]:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cncd_bench_load")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    _fresh_database(url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cncd.settings.production",
        "SECRET_KEY": "bench-load-secret-key-not-for-production-0123456789abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "CNCD_HISTORY_KEY": "bench-load-history-key-not-for-production-0123456789",
        "SECURE_SSL_REDIRECT": "False",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable

    def manage(*command: str) -> str:
        done = subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(command)}: {done.stderr[-2000:]}")
        return done.stdout

    manage("migrate", "--noinput")
    manage("atlas_generate")  # the full scale: 12,000 projects, which load_demo then keeps
    manage("load_demo", "--force-production")
    made = manage("shell", "--no-imports", "-c", (ROOT / "bench" / "load_data.py").read_text(encoding="utf-8"))
    tokens = next(line for line in made.splitlines() if line.startswith("TOKENS ")).split(" ", 1)[1]
    pages_line = next(line for line in made.splitlines() if line.startswith("PAGES "))
    pages, padlocks = (int(value) for value in pages_line.split()[1:])
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    workers = int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1) + 1))  # gunicorn's advice
    server_log = (out / "server.log").open("w")  # each refused read (403) is logged: kept aside
    server = subprocess.Popen(  # noqa: S603 — our own interpreter, our own app
        [
            *(python, "-m", "gunicorn", "--pythonpath", "site", "cncd.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    ramp = USERS / SPAWN_RATE + 2
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        _warm_up(port, workers)
        subprocess.run(
            [
                *(python, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{int(DURATION + ramp)}s"),
                *("--host", f"http://127.0.0.1:{port}", "--csv", str(out / "load"), "--csv-full-history"),
                *("--reset-stats", "--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "CNCD_LOAD_TOKENS": tokens,
                "CNCD_LOAD_INTERVAL": str(INTERVAL),
            },
            check=False,
            capture_output=True,
            timeout=DURATION + ramp + 120,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    with (out / "load_stats.csv").open(newline="") as handle:
        stats = list(csv.DictReader(handle))
    total = next(row for row in stats if row["Name"] == "Aggregated")
    offered = USERS / INTERVAL
    served = _steady_rate(out / "load_stats_history.csv", ramp)
    failures, p95 = int(total["Failure Count"]), float(total["95%"])
    rows = [
        Row(
            f"Load: data: {pages:,} pages, {padlocks:,} padlocks, 12,000 Atlas projects, {USERS} members"
            " (Poisson arrivals)",
            0,
            "",
        ),
        Row("Load: offered (members / interval)", offered, "/s"),
        Row(
            "Load: served, steady",
            served,
            "/s",
            ">= 95 % of offered",
            f"{served / offered:.0%}",
            ok=served >= 0.95 * offered,
        ),
        Row("Load: p95 over all requests", p95, "ms", "< 300 ms", "", ok=p95 < 300),
        Row("Load: p50 over all requests", float(total["50%"]), "ms"),
        Row("Load: failed requests", failures, "", "0", f"of {int(total['Request Count']):,}", ok=failures == 0),
    ]
    for row in sorted((row for row in stats if row["Name"] != "Aggregated"), key=lambda row: row["Name"]):
        rows.append(
            Row(f"Load: {row['Type']} {row['Name']} p50 / p95", float(row["50%"]), "ms", "", f"p95 {row['95%']} ms")
        )
    return rows
