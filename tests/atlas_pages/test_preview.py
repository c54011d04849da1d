"""Draft preview for any front end: the editor's Preview in the Wagtail admin hands the front end
a signed, short-lived token; ``/api/pages/preview/`` serves the draft to its holder only, and
the reference front end's ``/apercu/`` renders it the same way."""

import re
import time
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail_headless_preview.models import PagePreview

from atlas_pages.models import ArticlePage
from tests.factories import MemberFactory, add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db


def article_form(title: str, body: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": extra.pop("slug", "la-page"),
            "date": "2026-11-12",
            "teaser": "Le chapô public.",
            "body": streamfield([("paragraph", rich_text(f"<p>{body}</p>"))]),
            **extra,
        }
    )


def click_preview(client: Client, admin_url: str, form: dict) -> dict[str, str]:
    """What the admin does when the editor clicks Preview: it posts the form as it stands, then
    loads the preview, which frames the front end's preview address. Returns that address's query."""
    posted = client.post(f"{admin_url}preview/", form)
    assert posted.status_code == 200 and posted.json()["is_valid"], posted.content
    shown = client.get(f"{admin_url}preview/?mode=&in_preview_panel=true")
    assert shown.status_code == 200
    # The admin frames it: the site may frame this answer (every other page: nobody).
    assert "frame-ancestors 'self'" in shown["Content-Security-Policy"] and shown["X-Frame-Options"] == "SAMEORIGIN"
    address = unescape(re.search(r'<iframe src="([^"]+)"', shown.content.decode()).group(1))
    assert address.startswith("/apercu/?")
    return {name: values[0] for name, values in parse_qs(urlsplit(address).query).items()}


@pytest.fixture
def article(db):
    page = add_article(add_rubric(), "Le titre publié", body="Le corps publié", slug="la-page")
    padlock(page, "collectivites")
    return page


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def test_the_draft_goes_to_the_token_holder_and_the_live_page_is_unchanged(staff_client, article):
    query = click_preview(
        staff_client, edit_url(article), article_form("Le titre du brouillon", "Le corps réservé du brouillon")
    )
    assert query["content_type"] == "atlas_pages.articlepage"

    outside = Client()  # the front end's server: no session, only the token
    answer = outside.get("/api/pages/preview/", query)
    assert answer.status_code == 200, answer.content
    assert "no-store" in answer["Cache-Control"]
    draft = answer.json()
    assert draft["id"] == article.pk and draft["draft"] is True and draft["locked"] is False
    assert draft["title"] == "Le titre du brouillon" and draft["type"] == "atlas_pages.ArticlePage"
    assert draft["parent_id"] == article.get_parent().pk
    assert "Le corps réservé du brouillon" in str(draft["fields"]["body"])

    # Nothing was published: the page API still serves the live page, padlock and all.
    assert outside.get(f"/api/pages/{article.pk}/").status_code == 401
    member = Client()
    member.force_login(MemberFactory(groups=["collectivites"]))
    live = member.get(f"/api/pages/{article.pk}/").json()
    assert live["title"] == "Le titre publié" and "brouillon" not in str(live["fields"])


def test_the_reference_front_end_renders_the_draft_in_the_admin_frame(staff_client, article):
    query = click_preview(
        staff_client, edit_url(article), article_form("Le titre du brouillon", "Le corps du brouillon")
    )
    shown = Client().get("/apercu/", query)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Le titre du brouillon" in html and "Le corps du brouillon" in html
    assert "Aperçu d’un brouillon" in html or "Aperçu d'un brouillon" in html
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown["Content-Security-Policy"]
    assert "no-store" in shown["Cache-Control"] and shown["X-Robots-Tag"] == "noindex"


def test_a_new_page_is_previewed_before_it_is_ever_saved(staff_client, article):
    rubric = article.get_parent()
    add_url = f"/admin/pages/add/atlas_pages/articlepage/{rubric.pk}/"
    query = click_preview(staff_client, add_url, article_form("Une page à venir", "Son corps", slug="a-venir"))
    draft = Client().get("/api/pages/preview/", query).json()
    assert draft["id"] is None and draft["parent_id"] == rubric.pk and draft["title"] == "Une page à venir"
    assert not ArticlePage.objects.filter(slug="a-venir").exists()


def test_a_forged_tampered_or_mismatched_token_is_refused(staff_client, article):
    query = click_preview(staff_client, edit_url(article), article_form("Brouillon", "Corps"))
    client = Client()
    forged = signing.TimestampSigner(key="not-the-site-key", salt="headlesspreview.token").sign(f"id={article.pk}")
    for bad in (
        {**query, "token": forged},
        {**query, "token": query["token"][:-2] + "xx"},
        {**query, "token": "id=1"},
        {**query, "content_type": "atlas_pages.standardpage"},
        {**query, "content_type": "auth.user"},
    ):
        answer = client.get("/api/pages/preview/", bad)
        assert answer.status_code == 403, (bad, answer.content)
        assert "aperçu" in answer.json()["detail"] and "Brouillon" not in answer.content.decode()
        assert client.get("/apercu/", bad).status_code == 403
    missing = client.get("/api/pages/preview/", {"content_type": query["content_type"]})
    assert missing.status_code == 422 and "token" in str(missing.json()["detail"])


def test_an_expired_token_is_refused_with_a_clear_message(staff_client, article, settings, monkeypatch):
    settings.CNCD_PREVIEW_MAX_AGE = 3600
    an_hour_ago = time.time() - 3601
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: an_hour_ago))
    query = click_preview(staff_client, edit_url(article), article_form("Brouillon", "Corps"))
    monkeypatch.undo()
    answer = Client().get("/api/pages/preview/", query)
    assert answer.status_code == 403
    assert answer.json()["detail"] == "Ce lien d’aperçu a expiré : cliquez à nouveau sur Aperçu dans l’administration."
    refused = Client().get("/apercu/", query)
    assert refused.status_code == 403 and "a expiré" in refused.content.decode()


def test_a_deleted_preview_is_gone(staff_client, article):
    query = click_preview(staff_client, edit_url(article), article_form("Brouillon", "Corps"))
    PagePreview.objects.all().delete()
    assert Client().get("/api/pages/preview/", query).status_code == 404
