"""The padlock costs the same few queries with one restriction or five hundred."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from atlas_pages.models import ArticlePage
from tests.factories import add_rubric

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14  # two find the translations of the pages listed: their padlocks hold too, and the API lists them
READERS = ["anonymous", "collectivites", "ong", "staff"]


def add_restricted_notes(rubric, start: int, count: int) -> None:
    """Notes padlocked for one group each, in turn (one restriction per note)."""
    groups = list(Group.objects.filter(actor_group__isnull=False).order_by("actor_group__position"))
    pages = []
    for number in range(start, start + count):
        page = ArticlePage(title=f"Note {number}", slug=f"note-{number}", teaser=f"Chapô {number}", live=True)
        rubric.add_child(instance=page)
        pages.append(page)
    restrictions = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type=PageViewRestriction.GROUPS) for page in pages]
    )
    through = PageViewRestriction.groups.through
    through.objects.bulk_create(
        [
            through(pageviewrestriction_id=restriction.pk, group_id=groups[(start + offset) % len(groups)].pk)
            for offset, restriction in enumerate(restrictions)
        ]
    )


def measure(client, path, params=None) -> tuple[int, object]:
    """The queries of computing the answer (not of serving the copy the server keeps of a
    visitor's answer, which costs none: tests/core/test_http_caching.py)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    return len(queries), response


def expected_locked(reader: str, titles: list[str]) -> list[bool]:
    if reader == "staff":
        return [False] * len(titles)
    position = {"collectivites": 1, "ong": 7}.get(reader)
    return [int(title.split()[1]) % 9 != position for title in titles]


def test_list_and_detail_cost_the_same_with_one_or_five_hundred_restrictions(readers):
    rubric = add_rubric("Actualités")
    add_restricted_notes(rubric, 0, 1)
    params = {"limit": 20, "type": "atlas_pages.ArticlePage", "ordering": "title"}

    few = {}
    for reader in READERS:
        measure(readers[reader], "/api/pages/", params)  # warm the per-process caches (content types)
        few[reader], response = measure(readers[reader], "/api/pages/", params)
        assert response.status_code == 200

    add_restricted_notes(rubric, 1, 499)
    last = rubric.get_children().last()
    for reader in READERS:
        many, response = measure(readers[reader], "/api/pages/", params)
        data = response.json()
        assert data["count"] == 500
        titles = [item["title"] for item in data["items"]]
        assert [item["locked"] for item in data["items"]] == expected_locked(reader, titles), reader
        assert many == few[reader], reader
        assert many <= MAX_QUERIES, reader

        queries, detail = measure(readers[reader], f"/api/pages/{last.pk}/")
        assert queries <= MAX_QUERIES, reader
        assert detail.status_code == {"anonymous": 401, "collectivites": 403, "ong": 403, "staff": 200}[reader]
