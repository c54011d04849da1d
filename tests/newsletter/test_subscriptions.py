"""Subscriptions: double opt-in by the public form, members from their personal space, one-click
unsubscribe by POST (a GET only shows a button), bounces, and the consent kept."""

import re

import pytest
from django.core import mail
from django.test import Client

from newsletter import services
from newsletter.models import Subscription
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def confirmation_link() -> str:
    return re.search(r"http://\S+/lettre-information/confirmer/\S+/", mail.outbox[-1].body).group(0)


def test_double_opt_in(client):
    response = client.post(
        "/api/newsletter/subscriptions/",
        {"email": "Camille@Example.org", "language": "fr", "rubrics": ["news"]},
        content_type="application/json",
    )
    assert response.status_code == 202
    subscription = Subscription.objects.get(email="camille@example.org")
    assert subscription.state == "pending" and not subscription.reachable
    message = mail.outbox[-1]
    assert message.to == ["camille@example.org"]
    assert message.from_email.endswith("<lettre@cncd.example.org>"), "the newsletter's own address"
    link = confirmation_link()
    assert "mot de passe" not in message.body
    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon abonnement" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == "pending", "opening the link (a scanner) confirms nothing"
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == "confirmed" and subscription.consent_at is not None
    assert subscription.consent_text_version == "2026-11" and subscription.consent_method == "API"
    assert client.post(link).status_code == 400, "a link confirms once"


def test_the_answer_does_not_tell_who_is_subscribed(client):
    Subscription.objects.create(email="connu@example.org", state="confirmed", source="import")
    known = client.post(
        "/api/newsletter/subscriptions/", {"email": "connu@example.org"}, content_type="application/json"
    )
    unknown = client.post(
        "/api/newsletter/subscriptions/", {"email": "nouveau@example.org"}, content_type="application/json"
    )
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    assert [message.to for message in mail.outbox] == [["nouveau@example.org"]]


def test_re_subscribing_after_unsubscribing_needs_a_new_confirmation(client):
    services.subscribe(None, "camille@example.org")
    first_link = confirmation_link()
    client.post(first_link)
    subscription = Subscription.objects.get()
    client.post(f"/lettre-information/desinscription/{subscription.token}/")
    assert Subscription.objects.get().state == "unsubscribed"
    assert client.post(first_link).status_code == 400, "the old link does not subscribe again"
    services.subscribe(None, "camille@example.org")
    assert Subscription.objects.get().state == "pending"
    second_link = confirmation_link()
    assert client.post(first_link).status_code == 400
    client.post(second_link)
    assert Subscription.objects.get().state == "confirmed"


def test_an_expired_confirmation_link_is_refused(client, settings):
    services.subscribe(None, "camille@example.org")
    link = confirmation_link()
    settings.NEWSLETTER_CONFIRM_DAYS = -1
    response = client.post(link)
    assert response.status_code == 400 and "expiré" in response.content.decode()


def test_bad_input_names_the_field(client):
    response = client.post(
        "/api/newsletter/subscriptions/",
        {"email": "pas-une-adresse", "rubrics": ["sport"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} == {"email"}
    response = client.post(
        "/api/newsletter/subscriptions/",
        {"email": "a@example.org", "rubrics": ["sport"]},
        content_type="application/json",
    )
    assert [item["field"] for item in response.json()["detail"]] == ["rubrics"]
    page = client.post("/lettre-information/inscription/", {"email": "x"})
    assert page.status_code == 400 and "Indiquez une adresse électronique valide." in page.content.decode()
    assert Subscription.objects.count() == 0


def test_one_click_unsubscribe_by_post_without_login_or_csrf():
    subscription = Subscription.objects.create(email="camille@example.org", state="confirmed", source="import")
    client = Client(enforce_csrf_checks=True)
    url = f"/lettre-information/desinscription/{subscription.token}/"
    shown = client.get(url)
    assert shown.status_code == 200 and "Se désinscrire" in shown.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == "confirmed", "a GET (a link scanner) unsubscribes nobody"
    clicked = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert clicked.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == "unsubscribed" and subscription.unsubscribed_at is not None
    assert client.post(url).status_code == 200, "twice is fine"
    assert client.post("/lettre-information/desinscription/inconnu/").status_code == 404


def test_one_click_unsubscribe_in_the_api():
    subscription = Subscription.objects.create(email="camille@example.org", state="confirmed", source="import")
    response = Client(enforce_csrf_checks=True).post(f"/api/newsletter/unsubscribe/{subscription.token}")
    assert response.status_code == 200 and response.json()["state"] == "unsubscribed"


def test_a_member_subscribes_from_the_personal_space(client):
    member = MemberFactory(username="lyon", groups=["collectivites"])
    client.force_login(member)
    assert client.get("/api/newsletter/subscriptions/me").status_code == 404
    response = client.put(
        "/api/newsletter/subscriptions/me",
        {"subscribed": True, "rubrics": ["testimonies", "news"], "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["state"], body["source"]) == (member.email.lower(), "confirmed", "member_space")
    subscription = Subscription.objects.get()
    assert subscription.user == member and subscription.group == "collectivites"
    page = client.get("/espace-personnel/lettre/").content.decode()
    assert 'name="subscribed" value="1" checked' in page and 'value="testimonies" checked' in page
    client.post("/espace-personnel/lettre/", {"language": "fr"})
    assert Subscription.objects.get().state == "unsubscribed", "the toggle off"
    assert "/espace-personnel/lettre/" in client.get("/espace-personnel/").content.decode()


def test_bounced_and_complained_addresses_are_marked(client):
    Subscription.objects.create(email="a@example.org", state="confirmed", source="import")
    Subscription.objects.create(email="b@example.org", state="confirmed", source="import")
    assert services.mark_undeliverable(["A@example.org"]) == 1
    assert services.mark_undeliverable(["b@example.org"], complaint=True) == 1
    assert dict(Subscription.objects.values_list("email", "state")) == {
        "a@example.org": "bounced",
        "b@example.org": "complained",
    }
    services.subscribe(None, "a@example.org")
    assert Subscription.objects.get(email="a@example.org").state == "bounced", "never written to again"
    assert mail.outbox == []


def test_a_subscriber_who_is_not_a_member_changes_rubrics_and_language_from_the_letter(client):
    subscription = Subscription.objects.create(
        email="lectrice@example.org", state="confirmed", source="public_form", token="tok-lectrice"
    )
    page = client.get("/lettre-information/desinscription/tok-lectrice/")
    html = page.content.decode()
    assert 'id="preferences"' in html and "Changer mes rubriques ou ma langue" in html
    response = client.post(
        "/lettre-information/preferences/tok-lectrice/", {"rubrics": ["good_practices", "news"], "language": "en"}
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.rubrics, subscription.language, subscription.state) == (
        ["good_practices", "news"],
        "en",
        "confirmed",
    )
    assert (
        "Vos choix ont été enregistrés." in client.get("/lettre-information/preferences/tok-lectrice/").content.decode()
    )

    bad = client.post("/lettre-information/preferences/tok-lectrice/", {"rubrics": ["sport"], "language": "de"})
    assert bad.status_code == 400 and "Rubrique inconnue : sport." in bad.content.decode()
    assert client.post("/lettre-information/preferences/inconnu/", {"language": "fr"}).status_code == 404
    client.post("/lettre-information/desinscription/tok-lectrice/")
    assert client.post("/lettre-information/preferences/tok-lectrice/", {"language": "fr"}).status_code == 409
