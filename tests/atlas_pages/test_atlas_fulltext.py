"""Searching the Atlas by words as people type them: accents and plurals found either way, every
word required, and the database's full-text index kept in step with every change, whichever way
the project was written (the admin's save, a bulk generation, a deletion)."""

import pytest
from django.core.management import call_command
from django.db import connection

from atlas_pages.atlas import fulltext
from atlas_pages.models import Project
from tests.atlas_pages.test_atlas_search import authority, project, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(db):
    lyon = authority("69123", "Lyon", "commune", "Auvergne-Rhône-Alpes", "Rhône", "69", at=(45.76, 4.84))
    return {
        "lyon": lyon,
        "plural": project("Coopérations pour l'accès aux eaux potables", "SN", [lyon], at=(14.7, -17.4)),
        "singular": project("Cooperation eau potable a Saint-Louis", "SN", [lyon], at=(16.0, -16.5)),
        "other": project("Hôpitaux de district", "BF", [lyon], at=(12.3, -1.5)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=coopération", "plural singular"),  # accent typed, plural and unaccented found
        ("q=cooperations", "plural singular"),  # no accent, plural typed
        ("q=eaux", "plural singular"),  # the French plural in -x
        ("q=eau+potable", "plural singular"),
        ("q=EAUX+POTABLES+saint", "singular"),  # every word, whatever the case
        ("q=hopital", "other"),  # hôpitaux: accent and -aux plural at once
        ("q=eau+hopital", ""),
        ("q=l'accès", "plural"),  # punctuation is not a word
        ("q=%C2%AB+%C2%BB", None),  # only punctuation: no word to look for, every project
    ],
)
def test_words_are_found_whatever_their_accents_and_number(client, water, query, expected):
    found = titles(client, query)
    if expected is None:
        assert found == set(Project.objects.values_list("title", flat=True))
    else:
        assert found == {water[name].title for name in expected.split()}


def test_a_word_inside_another_is_not_a_match(client, water):
    # "eau" is in "réseau" and "bureau": the old substring match found them; words do not.
    project("Réseau des bureaux de l'état civil", "SN", [water["plural"].french_authorities.first()], at=(14, -17))
    assert titles(client, "q=eau") == {water["plural"].title, water["singular"].title}


def test_the_index_follows_saves_renames_and_deletions(client, water):
    item = water["other"]
    item.title = item.description = "Centres de santé communautaires"
    item.save()
    assert titles(client, "q=hopital") == set()
    assert titles(client, "q=sante+communautaire") == {item.title}
    item.delete()
    assert titles(client, "q=sante+communautaire") == set()
    water["lyon"].name = "Lyon Métropole"
    water["lyon"].save()  # the authorities' names are in their projects' text
    assert water["singular"].title in titles(client, "q=metropoles")


def test_generated_projects_are_indexed_as_they_are_written():
    call_command("atlas_generate", projects=60, authorities=40, countries=4, seed=5)
    sample = Project.objects.order_by("pk").first()
    word = fulltext.WORD.findall(sample.title)[0]
    found = set(fulltext.having_words(Project.objects.all(), word).values_list("pk", flat=True))
    assert sample.pk in found
    expected = {
        pk for pk, text in Project.objects.values_list("pk", "search_stems") if fulltext.terms(word)[0] in text.split()
    }
    assert found == expected


def test_the_database_uses_its_full_text_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'atlas_project_stems_fts'")
            [(definition,)] = cursor.fetchall()
        assert "gin" in definition and "to_tsvector" in definition
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'atlas_pages_project_fts%'")
            names = {name for (name,) in cursor.fetchall()}
        assert {
            "atlas_pages_project_fts",
            "atlas_pages_project_fts_inserted",
            "atlas_pages_project_fts_updated",
        } <= names


def test_the_official_list_offers_authorities_as_their_name_is_typed(client):
    response = client.get("/api/atlas/official-authorities/", {"q": "montelim"})
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "Etalab, découpage administratif 6.0.0"
    assert [(item["name"], item["code"], item["kind"]) for item in body["items"]] == [
        ("Montélimar", "26198", "commune"),  # begins with what was typed
        ("CA Montélimar Agglomération", "200040459", "intercommunality"),
    ]
    assert body["items"][0]["siren"] == "212601983" and body["items"][0]["population"] > 30_000
    lyon = client.get("/api/atlas/official-authorities/", {"q": "Lyon", "limit": 3}).json()["items"]
    assert [item["name"] for item in lyon] == ["Lyon", "Lyons-la-Forêt", "Métropole de Lyon"]
    assert client.get("/api/atlas/official-authorities/", {"q": "auvergne-rh"}).json()["items"][0]["code"] == "R84"
    response = client.get("/api/atlas/official-authorities/", {"q": "a"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "q"
