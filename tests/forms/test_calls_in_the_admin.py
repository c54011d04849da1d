"""Editors create a call for projects in the Wagtail admin, with its dates, envelope,
eligibility and the opinions each dossier needs; the calls' page lists it."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from atlas_pages.models import Country, Theme
from forms.models import CallForProjectsIndexPage, CallForProjectsPage
from tests.factories import add_page, home_page

pytestmark = pytest.mark.django_db


def test_an_editor_publishes_a_call_with_its_required_opinions(staff_client, client):
    index = add_page(home_page(), CallForProjectsIndexPage, title="Appels à projets", slug="appels-a-projets")
    fields = {
        "title": "Appel triennal 2027-2029",
        "slug": "appel-triennal",
        "kind": "triennial",
        "intro": "Pour des partenariats durables.",
        "opens_at": "2026-11-01 09:00",
        "closes_at": "2027-02-28 18:00",
        "budget_envelope": "3000000",
        "max_share": "40",
        "rules": streamfield([]),
        "required_opinions": inline_formset(
            [{"body": "ambassades", "days": "30"}, {"body": "ministeres-operateurs", "days": "45"}]
        ),
        "questions": inline_formset([]),
        "criteria": inline_formset([]),
        "review_bodies": inline_formset([]),
        "action-publish": "publish",
    }
    post = nested_form_data(fields)
    post["eligible_countries"] = [str(Country.objects.get(iso2="SN").pk), str(Country.objects.get(iso2="VN").pk)]
    post["eligible_themes"] = [str(Theme.objects.get(slug="eau-assainissement").pk)]
    response = staff_client.post(f"/admin/pages/add/cncd_forms/callforprojectspage/{index.pk}/", post)
    assert response.status_code == 302, response.content[:3000]
    call = CallForProjectsPage.objects.get(slug="appel-triennal", locale__language_code="fr")
    assert (call.live, call.kind, call.years, call.max_share) == (True, "triennial", 3, 40)
    assert [(item.body, item.days) for item in call.required_opinions.all()] == [
        ("ambassades", 30),
        ("ministeres-operateurs", 45),
    ]
    assert sorted(call.eligible_countries.values_list("iso2", flat=True)) == ["SN", "VN"]

    listing = client.get(index.url).content.decode()
    assert "Appel triennal 2027-2029" in listing and ">Ouvert</p>" in listing
    assert "Ouvert" in client.get(call.url).content.decode()
    item = client.get(f"/api/calls/{call.pk}/").json()
    assert (item["eligible_countries"], item["eligible_themes"]) == (["SN", "VN"], ["eau-assainissement"])
