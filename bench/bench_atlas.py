"""The Atlas at 12,000 projects (today's full scale: 4,756 French authorities, 140 countries)
and at ten times that, 120,000, on SQLite and on PostgreSQL, each size and database measured in
a fresh process of its own (``bench/atlas_measure.py``) with Redis as the shared cache, as in
production. For each: generating the data, building the search index, what a web worker adds
in memory when it serves its first search, the search with typical filter mixes, the facets,
the GeoJSON of every project and the Atlas page ``?continent=afrique``; each figure at 120,000
with its growth over 12,000 (a cost that holds is flat).

PostgreSQL at ``BENCH_DATABASE_URL``'s server (database ``cncd_bench_atlas``, recreated);
Redis at ``BENCH_REDIS_URL`` (database 9, emptied). ``BENCH_ATLAS_SIZES`` (``12000,120000``)
and ``BENCH_ATLAS_DATABASES`` (``sqlite,postgresql``) narrow the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.common import Row

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # figure: (label, unit, target at 120k, test)
    "search_p95_ms": ("search, typical filter mixes, p95", "ms", "< 30 ms", lambda value: value < 30),
    "text_p95_ms": ("search by words (q), p95", "ms", "< 30 ms", lambda value: value < 30),
    "facets_p95_ms": ("facets, p95", "ms", "< 50 ms", lambda value: value < 50),
    "map_all_p50_ms": ("map of the whole Atlas, clustered (zoom 2), p50", "ms", "< 300 ms", lambda value: value < 300),
    "map_zoomed_p50_ms": ("map of West Africa (zoom 6), p50", "ms", "< 300 ms", lambda value: value < 300),
    "geojson_all_p50_ms": ("GeoJSON, one point per project, p50", "ms", "", None),
    "page_p50_ms": ("Atlas page ?continent=afrique, p50", "ms", "< 150 ms", lambda value: value < 150),
    "trends_p95_ms": ("trends of a search (years), p95", "ms", "< 50 ms", lambda value: value < 50),
    "suggestions_p95_ms": ("authorities by name (suggestions), p95", "ms", "< 30 ms", lambda value: value < 30),
    "csv_all_s": ("open data: CSV of the whole Atlas", "s", "< 30 s", lambda value: value < 30),
    "csv_all_mb": ("open data: size of that CSV", "MB", "", None),
    "worker_added_mb": ("peak RSS a worker adds serving the Atlas", "MB", "< 50 MB", lambda value: value < 50),
    "index_build_peak_mb": ("peak RSS building the index adds (the worker)", "MB", "", None),
    "index_build_s": ("search index built once per change", "s", "", None),
    "generate_s": ("generate the dataset", "s", "", None),
}


def _database_url(name: str) -> str:
    if name == "sqlite":
        folder = Path(os.environ.get("BENCH_DIR", "/tmp")) / "cncd-bench"  # noqa: S108 — as bench/settings
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (folder / f"atlas.sqlite3{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{folder / 'atlas.sqlite3'}"
    import psycopg

    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x").rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "cncd_bench_atlas" WITH (FORCE)')
        connection.execute('CREATE DATABASE "cncd_bench_atlas"')
    return server + "/cncd_bench_atlas"


def _measure(database: str, projects: int) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_ATLAS_DATABASE_URL": _database_url(database),
        "BENCH_ATLAS_CACHE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    }
    print(f"  atlas: {database}, {projects:,} projects…", file=sys.stderr, flush=True)
    result = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "bench.atlas_measure", str(projects)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> list[Row]:
    sizes = [int(size) for size in os.environ.get("BENCH_ATLAS_SIZES", "12000,120000").split(",")]
    databases = os.environ.get("BENCH_ATLAS_DATABASES", "sqlite,postgresql").split(",")
    rows = []
    for database in databases:
        measured = {size: _measure(database, size) for size in sizes}
        small, large = measured[sizes[0]], measured[sizes[-1]]
        for key, (label, unit, target, test) in TARGETS.items():
            growth = f"{large[key] / small[key]:.1f}× from {sizes[0]:,}" if small[key] and len(sizes) > 1 else ""
            for size in sizes:
                last = size == sizes[-1]
                rows.append(
                    Row(
                        f"Atlas ({database}, {size:,}): {label}",
                        measured[size][key],
                        unit,
                        target if last else "",
                        growth if last else "",
                        ok=test(measured[size][key]) if (test and last) else None,
                    )
                )
        if "pdf_500_s" in small:
            rows.append(
                Row(
                    f"Atlas ({database}, {sizes[0]:,}): PDF of 500 projects, p50",
                    small["pdf_500_s"],
                    "s",
                    "< 3 s",
                    ok=small["pdf_500_s"] < 3,
                )
            )
        if "pdf_all_s" in small:
            label = f"Atlas ({database}, {sizes[0]:,}): PDF export of every project (background)"
            rows.append(Row(f"{label}, time", small["pdf_all_s"], "s", "< 30 s", ok=small["pdf_all_s"] < 30))
            rows.append(
                Row(f"{label}, peak RSS", small["pdf_all_peak_mb"], "MB", "< 300 MB", ok=small["pdf_all_peak_mb"] < 300)
            )
    return rows
