"""Load: 200 simulated members reading, bookmarking and searching for 60 s (locust, headless)
against gunicorn + PostgreSQL on loopback, on the demo content with the Atlas at demo scale.

Needs PostgreSQL at ``BENCH_DATABASE_URL`` (default: the machine's, database
``cncd_bench_load``, created afresh). Target: no error; p95 is reported.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from bench.common import Row
from bench.load_accounts import ACCOUNTS, PASSWORD

ROOT = Path(__file__).resolve().parent.parent
USERS, SPAWN_RATE, DURATION = 200, 50, "60s"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _token(port: int, username: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_allauth/app/v1/auth/login",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — loopback
        return json.load(response)["meta"]["session_token"]


def run() -> list[Row]:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cncd_bench_load")
    _fresh_database(url)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cncd.settings.production",
        "SECRET_KEY": "bench-load-secret-key-not-for-production-0123456789abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "SECURE_SSL_REDIRECT": "False",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(  # noqa: S603 — our own interpreter, our own app
        [
            *(python, "-m", "gunicorn", "--pythonpath", "site", "cncd.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(2 * os.cpu_count() + 1), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        tokens = ",".join(_token(port, account) for account in ACCOUNTS)
        subprocess.run(
            [
                *(python, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", f"http://127.0.0.1:{port}"),
                *("--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "CNCD_LOAD_TOKENS": tokens},
            check=False,
            capture_output=True,
            timeout=300,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    with (out / "load_stats.csv").open(newline="") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    return [
        Row(f"Load: {USERS} members for {DURATION}, requests", requests, ""),
        Row("Load: requests per second", float(total["Requests/s"]), "/s"),
        Row("Load: p95 response time", float(total["95%"]), "ms"),
        Row("Load: failed requests", failures, "", "0", ok=failures == 0),
    ]
