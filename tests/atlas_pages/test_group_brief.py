"""Each group's brief is the latest live articles editors targeted to it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from atlas_pages.editorial.services import group_brief
from tests.factories import add_article, add_rubric

pytestmark = pytest.mark.django_db


def group_id(slug):
    return Group.objects.get(actor_group__slug=slug).pk


def test_brief_lists_targeted_articles_newest_first():
    news = add_rubric("Actualités")
    older = add_article(news, "Ancienne", date=dt.date(2026, 10, 1), target_groups=["prefectures"])
    newer = add_article(news, "Récente", date=dt.date(2026, 11, 1), target_groups=["prefectures", "ambassades"])
    add_article(news, "Pour les ONG", date=dt.date(2026, 11, 2), target_groups=["ong"])
    add_article(news, "Pour tous", date=dt.date(2026, 11, 3))
    unpublished = add_article(news, "Retirée", date=dt.date(2026, 11, 4), target_groups=["prefectures"])
    unpublished.unpublish()

    assert list(group_brief([group_id("prefectures")])) == [newer, older]
    assert list(group_brief([group_id("ambassades")])) == [newer]
    assert list(group_brief([group_id("prefectures"), group_id("ambassades")])) == [newer, older]
    assert list(group_brief([group_id("entreprises")])) == []


def test_brief_is_limited(django_assert_max_num_queries):
    news = add_rubric("Actualités")
    for day in range(1, 6):
        add_article(news, f"Brève {day}", date=dt.date(2026, 11, day), target_groups=["ong"])
    ong = group_id("ong")
    with django_assert_max_num_queries(1):
        titles = [page.title for page in group_brief([ong], limit=3)]
    assert titles == ["Brève 5", "Brève 4", "Brève 3"]
