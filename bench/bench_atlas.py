"""The Atlas at full scale: 12,000 projects, 4,756 French authorities, 140 countries.

Generation time, then the search with typical filter mixes, the facets and the GeoJSON of
every project, each through the API as a client calls it; then the PDF of 500 projects
by country, rendered by WeasyPrint.
"""

from __future__ import annotations

import io
import time

from django.core.management import call_command
from django.http import QueryDict
from django.test import Client

from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.pdf import render_pdf
from bench.common import Row, p50, p95, timed_requests

RUNS = 40
SEARCHES = [
    {"country": "SN"},
    {"continent": "afrique", "theme": "eau-assainissement"},
    {"region": "84", "status": "ongoing", "ordering": "-start_year"},
    {"q": "eau potable"},
    {"year": "2015", "kind": "twinning"},
    {"bbox": "-18,4,16,28", "theme": "education-jeunesse"},
    {"department": "69", "offset": "20"},
    {},
]


def run() -> list[Row]:
    started = time.perf_counter()
    call_command("atlas_generate", projects=12_000, authorities=4_756, countries=140, seed=1, stdout=io.StringIO())
    generation = time.perf_counter() - started
    rows = [Row("Atlas: generate the full dataset", generation, "s", "< 60 s", ok=generation < 60)]

    client = Client()
    search = []
    for params in SEARCHES:
        search += timed_requests(client, "/api/atlas/projects/", params, RUNS // 4)
    rows.append(Row("Atlas: search, typical filter mixes, p50", p50(search), "ms"))
    rows.append(Row("Atlas: search, typical filter mixes, p95", p95(search), "ms", "< 30 ms", ok=p95(search) < 30))

    facets = []
    for params in SEARCHES:
        facets += timed_requests(client, "/api/atlas/facets/", params, RUNS // 4)
    rows.append(Row("Atlas: facets, p50", p50(facets), "ms"))
    rows.append(Row("Atlas: facets, p95", p95(facets), "ms", "< 50 ms", ok=p95(facets) < 50))

    geojson = timed_requests(client, "/api/atlas/projects.geojson", {}, 10)
    rows.append(
        Row("Atlas: GeoJSON of all 12,000 projects, p50", p50(geojson), "ms", "< 300 ms", ok=p50(geojson) < 300)
    )

    ids = atlas_search.find(QueryDict("continent=afrique")).ids(0, 500)
    started = time.perf_counter()
    render_pdf(QueryDict("continent=afrique"), "country", ids=ids)
    cold = time.perf_counter() - started
    rows.append(Row("Atlas: PDF of 500 projects, first in a process (fonts loaded)", cold, "s"))
    warm = []
    for _ in range(3):
        started = time.perf_counter()
        render_pdf(QueryDict("continent=afrique"), "country", ids=ids)
        warm.append(time.perf_counter() - started)
    rows.append(Row("Atlas: PDF of 500 projects, p50", p50(warm), "s", "< 3 s", ok=p50(warm) < 3))
    return rows
