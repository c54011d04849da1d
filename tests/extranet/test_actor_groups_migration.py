"""The nine actor groups exist after `migrate`, with stable slugs and French names."""

import pytest
from django.contrib.auth.models import Group

from extranet.models import ActorGroup

pytestmark = pytest.mark.django_db

EXPECTED = [
    ("ambassades", "Ambassades"),
    ("collectivites", "Collectivités territoriales"),
    ("associations-nationales-elus", "Associations nationales d'élus"),
    ("associations-internationales-elus", "Associations internationales d'élus"),
    ("reseaux-regionaux", "Réseaux régionaux"),
    ("ministeres-operateurs", "Ministères et opérateurs"),
    ("prefectures", "Préfectures"),
    ("ong", "Organisations non gouvernementales (ONG)"),
    ("entreprises", "Entreprises"),
]


def test_the_nine_groups_exist_in_order_with_french_names():
    groups = [(actor.slug, actor.group.name) for actor in ActorGroup.objects.select_related("group")]
    assert groups == EXPECTED


def test_each_actor_group_is_a_django_group_usable_for_view_restrictions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {name for _slug, name in EXPECTED} <= names


def test_groups_endpoint_lists_them_for_the_registration_form(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/groups/")
    assert response.status_code == 200
    assert [group["slug"] for group in response.json()] == [slug for slug, _name in EXPECTED]
