"""A dossier's lists and texts are capped: 10,000 budget lines or a title of a thousand
characters are refused naming the field, and what was saved stays as it was."""

import pytest

from forms.models import Dossier
from tests.forms.conftest import COMPLETE
from tests.forms.test_dossier_visibility import create

pytestmark = pytest.mark.django_db


def test_ten_thousand_budget_lines_are_refused_and_nothing_saved_is_lost(people, call):
    dossier = create(people.lyon, call, **COMPLETE)
    line = {"kind": "expense", "label": "Ligne", "amount": "1"}
    response = people.lyon.patch(
        f"/api/dossiers/{dossier['id']}/",
        {"version": dossier["version"], "budget": [line] * 10_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "budget"
    saved = Dossier.objects.get(pk=dossier["id"])
    assert saved.budget_lines.count() == len(COMPLETE["budget"]) and saved.version == dossier["version"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "T" * 256}, "title"),
        ({"description": "D" * 10_001}, "description"),
        ({"contacts": [{"name": "N"}] * 21}, "contacts"),
        ({"contacts": [{"name": "N" * 300}]}, "contacts.0.name"),
        ({"themes": ["eau-assainissement"] * 21}, "themes"),
    ],
)
def test_overlong_texts_and_lists_name_the_field(people, call, change, field):
    dossier = create(people.lyon, call, **COMPLETE)
    response = people.lyon.patch(
        f"/api/dossiers/{dossier['id']}/", {"version": dossier["version"], **change}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert Dossier.objects.get(pk=dossier["id"]).title == COMPLETE["title"]
