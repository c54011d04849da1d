"""Trends of any Atlas search: projects started and active each year, the same in the API, on
the search page (two charts and their table) and in the PDF. On a generated Atlas, each year's
figures are what the database counts: projects of that start year, and what the search's own
"active in year" filter finds."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db.models import Q

from atlas_pages.atlas.index import CURRENT_YEAR
from atlas_pages.models import AtlasPage, Project
from tests.atlas_pages.test_atlas_pdf import pdf_text
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import add_page, home_page

pytestmark = pytest.mark.django_db


def trends(client, query: str = "") -> dict:
    response = client.get(f"/api/atlas/trends/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_each_year_counts_what_the_database_counts(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("atlas_generate", projects=300, authorities=100, countries=10, seed=5)
    for query, narrowed in (("", Q()), ("continent=afrique", Q(country__continent__slug="afrique"))):
        answer = trends(client, query)
        projects = Project.objects.filter(narrowed)
        assert answer["count"] == projects.count()
        years = [row["year"] for row in answer["years"]]
        assert years == list(range(years[0], years[-1] + 1))  # every year, none skipped
        assert years[0] == min(projects.values_list("start_year", flat=True))
        assert years[-1] >= CURRENT_YEAR
        assert sum(row["started"] for row in answer["years"]) == answer["count"]
        for row in answer["years"][::3]:
            year = row["year"]
            assert row["started"] == projects.filter(start_year=year).count()
            # "Active" is what the search's own filter finds for that year (open-ended projects
            # run on to the last year shown).
            active = client.get(f"/api/atlas/projects/?{query}&year={year}&limit=1").json()["count"]
            if year <= CURRENT_YEAR:
                assert row["active"] == active, year


def test_a_small_search_year_by_year(client, atlas):  # noqa: F811
    answer = trends(client, "country=SN")
    assert answer["count"] == 3
    rows = {row["year"]: (row["started"], row["active"]) for row in answer["years"]}
    # Déchets à Thiès 2012–2016, Eau potable à Dakar 2018–…, Maraîchage à Saint-Louis 2027–2029
    assert min(rows) == 2012 and max(rows) == 2029
    assert rows[2012] == (1, 1) and rows[2016] == (0, 1) and rows[2017] == (0, 0)
    assert rows[2018] == (1, 1) and rows[2027] == (1, 2) and rows[2029] == (0, 2)
    assert trends(client, "country=FR") == {"count": 0, "years": []}
    response = client.get("/api/atlas/trends/?year=20000")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "year"


def test_trends_cost_the_same_queries_at_any_size(client, atlas, django_assert_max_num_queries):  # noqa: F811
    trends(client)
    with django_assert_max_num_queries(2):
        trends(client, "continent=afrique")


def test_the_search_page_charts_them_with_their_table(client, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    page = unescape(client.get("/atlas/?country=SN").content.decode())
    section = page[page.index('id="atlas-trends"') :]
    assert "Au fil des années" in section
    labels = re.findall(r'<svg [^>]*role="img" aria-label="([^"]+)"', section)
    assert labels == [
        "Projets par année de début, de 2012 à 2029 : au plus 1 en 2012.",
        "Projets en cours chaque année, de 2012 à 2029 : au plus 2 en 2027.",
    ]
    assert section.count("<rect ") == 2 * 18  # a bar a year, in each chart
    assert '<th scope="row">2027</th><td>1</td><td>2</td>' in section
    assert 'href="/api/atlas/trends/?country=SN"' in section
    empty = unescape(client.get("/atlas/?country=FR").content.decode())
    assert 'id="atlas-trends"' not in empty


def test_the_pdf_has_them(client, atlas):  # noqa: F811
    response = client.get("/api/atlas/projects.pdf?country=SN")
    text, _pages = pdf_text(response)
    assert "Au fil des années" in text and "Projets par année de début" in text
    assert "Projets en cours chaque année" in text
    assert re.search(r"2027\s*1\s*2", text)  # the table: year, started, active
