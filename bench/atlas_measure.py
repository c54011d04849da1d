"""One measurement of the Atlas at one size on one database, in a process of its own (called by
``bench_atlas.py``): python -m bench.atlas_measure PROJECTS. The database is the one of
``BENCH_ATLAS_DATABASE_URL`` (a fresh one, migrated here), the shared cache Redis at
``BENCH_ATLAS_CACHE_URL`` (emptied), as in production (``bench/settings.py``). Prints one JSON line of figures.

Answers kept on the server are switched off (``CNCD_API_KEEP_SECONDS = 0``): each request does
the search, as the first visitor after a change does.
"""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from wagtail.models import Site  # noqa: E402

from atlas_pages.atlas import index as atlas_index  # noqa: E402
from atlas_pages.atlas import search as atlas_search  # noqa: E402
from atlas_pages.atlas.page import AtlasPage  # noqa: E402
from bench.common import p50, p95, timed_requests  # noqa: E402

RUNS = 40
SEARCHES = [
    {"country": "SN"},
    {"continent": "afrique", "theme": "eau-assainissement"},
    {"region": "84", "status": "ongoing", "ordering": "-start_year"},
    {"q": "eau potable"},
    {"q": "coopération"},  # a word every project has
    {"q": "eau", "continent": "afrique"},
    {"year": "2015", "kind": "twinning"},
    {"bbox": "-18,4,16,28", "theme": "education-jeunesse"},
    {"department": "69", "offset": "20"},
    {},
]
AUTHORITIES = {12_000: 4_756, 120_000: 35_000}


NUMPY_COST = """
def peak():
    return int(next(line for line in open('/proc/self/status') if line.startswith('VmHWM:')).split()[1]) / 1024
before = peak()
import numpy
print(peak() - before)
"""


def peak_rss_mb() -> float:
    """The process's peak resident memory so far: VmHWM, which starts afresh with the program
    (``ru_maxrss`` keeps the peak of the process that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def builder_memory() -> None:
    """In a fresh process: how much building the index raises the peak RSS (the worker that
    runs ``tasks.build_index``)."""
    before = peak_rss_mb()
    atlas_index.build("measure")
    print(json.dumps({"before": before, "after": peak_rss_mb()}))


def pdf_export() -> None:
    """In a fresh process, as the worker that makes a member's export: the PDF of every project
    of the Atlas, its time and the process's peak RSS (all of it: the target is the worker's)."""
    from extranet.exports import make_export_file
    from extranet.models import AtlasExport
    from tests.factories import MemberFactory

    member = MemberFactory(username="bench-pdf", email="bench-pdf@example.org", groups=["collectivites"])
    item = AtlasExport.objects.create(owner=member, query="", project_count=atlas_search.find(QueryDict("")).count)
    started = time.perf_counter()
    make_export_file(item)
    seconds = time.perf_counter() - started
    item.refresh_from_db()
    assert item.status == AtlasExport.Status.READY and item.progress == 100, item.status
    print(json.dumps({"seconds": seconds, "peak": peak_rss_mb(), "bytes": item.file.size}))
    item.file.delete()
    member.delete()


def _fresh(mode: str) -> dict:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "bench.atlas_measure", mode],
        cwd=root,
        env={**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'site'}"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def worker_memory() -> None:
    """In a fresh process: how much a web worker's peak RSS grows when it serves its first Atlas
    search (the index loaded from the shared cache); numpy, imported with the URLs, is counted
    apart, as the peak RSS it adds to a bare interpreter."""
    client = Client()
    client.get("/healthz")
    before = peak_rss_mb()
    with override_settings(CNCD_API_KEEP_SECONDS=0):
        response = client.get("/api/atlas/facets/", {"continent": "afrique"})
    assert response.status_code == 200, response.status_code
    print(json.dumps({"before": before, "after": peak_rss_mb()}))


def measure(projects: int) -> dict:
    cache.clear()
    started = time.perf_counter()
    call_command(
        "atlas_generate",
        projects=projects,
        authorities=AUTHORITIES.get(projects, projects // 3),
        countries=140,
        seed=1,
        stdout=io.StringIO(),
    )
    figures = {"generate_s": time.perf_counter() - started}

    started = time.perf_counter()  # the worker built it when the generation committed: again, timed
    atlas_index.build("timed")
    figures["index_build_s"] = time.perf_counter() - started
    memory = _fresh("builder")
    figures["index_build_peak_mb"] = memory["after"] - memory["before"]
    memory = _fresh("worker")
    numpy = subprocess.run(  # noqa: S603 — what importing numpy adds to a bare interpreter
        [sys.executable, "-c", NUMPY_COST], capture_output=True, text=True, timeout=60, check=True
    )
    figures["worker_added_mb"] = memory["after"] - memory["before"] + float(numpy.stdout)

    client = Client()
    with override_settings(CNCD_API_KEEP_SECONDS=0):
        search, text = [], []
        for params in SEARCHES:
            timings = timed_requests(client, "/api/atlas/projects/", params, RUNS // 4)
            (text if "q" in params else search).extend(timings)
        figures["search_p50_ms"], figures["search_p95_ms"] = p50(search), p95(search)
        figures["text_p95_ms"] = p95(text)
        facets = []
        for params in SEARCHES:
            facets += timed_requests(client, "/api/atlas/facets/", params, RUNS // 4)
        figures["facets_p50_ms"], figures["facets_p95_ms"] = p50(facets), p95(facets)
        geojson = timed_requests(client, "/api/atlas/projects.geojson", {"zoom": "2"}, 10)
        figures["map_all_p50_ms"] = p50(geojson)  # what the map asks for the whole Atlas
        geojson = timed_requests(client, "/api/atlas/projects.geojson", {"zoom": "6", "view": "-18,4,16,28"}, 10)
        figures["map_zoomed_p50_ms"] = p50(geojson)
        geojson = timed_requests(client, "/api/atlas/projects.geojson", {}, 3, warmup=1)
        figures["geojson_all_p50_ms"] = p50(geojson)  # one point per project (no zoom)

        trends = []
        for params in SEARCHES:
            trends += timed_requests(client, "/api/atlas/trends/", params, RUNS // 4)
        figures["trends_p95_ms"] = p95(trends)
        names = []
        for kind, text in (("authority", "saint"), ("authority", "lyon"), ("partner", "commune"), ("partner", "ta")):
            names += timed_requests(client, f"/api/atlas/{kind}-suggestions/", {"q": text}, RUNS // 4)
        figures["suggestions_p95_ms"] = p95(names)
        started = time.perf_counter()
        response = client.get("/api/atlas/projects.csv")
        size = sum(len(chunk) for chunk in response.streaming_content)
        figures["csv_all_s"] = time.perf_counter() - started
        figures["csv_all_mb"] = size / 1e6

        home = Site.objects.get(is_default_site=True).root_page
        page = AtlasPage.objects.first() or home.add_child(instance=AtlasPage(title="Atlas", slug="atlas"))
        atlas_page = timed_requests(client, page.url, {"continent": "afrique"}, 10)
        figures["page_p50_ms"] = p50(atlas_page)

    if projects <= 12_000:  # the PDF of 500 projects (the immediate ones are up to 300)
        from atlas_pages.atlas.pdf import render_pdf

        chosen = atlas_search.find(QueryDict("continent=afrique")).ids(0, 500)
        render_pdf(QueryDict("continent=afrique"), "country", ids=chosen)  # fonts loaded
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            render_pdf(QueryDict("continent=afrique"), "country", ids=chosen)
            timings.append(time.perf_counter() - started)
        figures["pdf_500_s"] = p50(timings)
        export = _fresh("pdf")
        figures["pdf_all_s"], figures["pdf_all_peak_mb"] = export["seconds"], export["peak"]

    started = time.perf_counter()
    ids = atlas_search.find(QueryDict("continent=afrique")).ids()
    figures["all_ids_ms"] = (time.perf_counter() - started) * 1000
    figures["found"] = len(ids)
    figures["projects"] = projects
    figures["database"] = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    return figures


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        worker_memory()
    elif sys.argv[1] == "builder":
        builder_memory()
    elif sys.argv[1] == "pdf":
        pdf_export()
    else:
        call_command("migrate", verbosity=0, interactive=False)
        print(json.dumps(measure(int(sys.argv[1]))))
