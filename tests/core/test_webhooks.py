"""Publish webhooks, against a real HTTP receiver on loopback: staff register an endpoint in the
admin; publishing, unpublishing, moving and deleting pages, changing the Atlas and sending the
newsletter each POST a signed payload (Standard Webhooks) that says what to revalidate, never a
body; failures are retried with back-off, every attempt is in the admin, and staff replay one."""

import base64
import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from standardwebhooks.webhooks import Webhook
from wagtail.models import Locale

from atlas_pages.atlas.csv_files import export, import_csv
from atlas_pages.atlas.generate import generate
from atlas_pages.core.webhooks import services
from atlas_pages.core.webhooks.models import EVENT_NAMES, WebhookDelivery, WebhookEndpoint, new_secret
from atlas_pages.models import Country, Project
from tests.factories import add_article, add_page, add_rubric, home_page, padlock

# Real commits: an event is announced once its transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers the statuses it is
    given in turn (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = json.dumps({"ok": status < 300, "seen": len(receiver.requests)}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/revalidate"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def payloads(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def endpoint_for(receiver, events=None, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(name="Front end", url=receiver.url, events=events or EVENT_NAMES, **fields)


def verify(endpoint: WebhookEndpoint, headers: dict, body: bytes) -> dict:
    """What a receiver does: Standard Webhooks' own library, and the HMAC computed by hand."""
    payload = Webhook(endpoint.secret).verify(body, headers)
    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"
    return payload


def test_publishing_a_page_posts_a_signed_payload_naming_what_to_revalidate(receiver):
    rubric = add_rubric("Actualités")
    endpoint = endpoint_for(receiver)
    article = add_article(rubric, "Réservé aux élus", body="Le corps réservé aux collectivités")
    [(headers, body)] = receiver.requests
    payload = verify(endpoint, headers, body)
    assert headers["webhook-event"] == "page.published" and headers["content-type"] == "application/json"
    assert payload["event"] == "page.published" and payload["id"] == headers["webhook-id"]
    french, english = payload["items"]  # the English site shows it too (as the French text, untranslated)
    assert french == {
        "id": article.pk,
        "type": "atlas_pages.ArticlePage",
        "path": "/actualites/reserve-aux-elus/",
        "locale": "fr",
        "api": f"/api/pages/{article.pk}/",
    }
    english_version = article.get_translation(Locale.objects.get(language_code="en"))
    assert english == {
        "id": english_version.pk,
        "type": "atlas_pages.ArticlePage",
        "path": "/en/actualites/reserve-aux-elus/",
        "locale": "en",
        "api": f"/api/pages/{english_version.pk}/",
    }
    assert "/api/pages/find/?path=/en/actualites/reserve-aux-elus/" in payload["revalidate"]
    assert f"/api/pages/{article.pk}/" in payload["revalidate"]
    assert "/api/pages/find/?path=/actualites/reserve-aux-elus/" in payload["revalidate"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "delivered" and delivery.attempts == 1 and delivery.last_status == 200

    # A padlocked page: its name goes out, its body never.
    padlock(article, "collectivites")
    article.save_revision().publish()
    headers, body = receiver.requests[-1]
    assert verify(endpoint, headers, body)["items"][0]["id"] == article.pk
    assert "corps réservé" not in body.decode() and "Le corps" not in body.decode()


def test_unpublishing_moving_and_deleting_a_subtree(receiver):
    rubric = add_rubric("Actualités")
    first = add_article(rubric, "Premier")
    second = add_article(rubric, "Second")
    other = add_rubric("Archives", slug="archives")
    endpoint_for(receiver)

    first.unpublish()
    assert [p["event"] for p in receiver.payloads()] == ["page.unpublished"]

    rubric.move(other, pos="last-child")
    moved = receiver.payloads()[-1]
    assert moved["event"] == "page.moved"
    by_id = {item["id"]: item for item in moved["items"]}
    assert set(by_id) == {rubric.pk, first.pk, second.pk}  # every page whose address changed
    assert by_id[second.pk]["previous_path"] == "/actualites/second/"
    assert by_id[second.pk]["path"] == "/archives/actualites/second/"
    assert "/actualites/second/" in moved["revalidate"]

    rubric.refresh_from_db()
    rubric.delete()
    deleted = receiver.payloads()[-1]
    assert deleted["event"] == "page.deleted"
    assert {item["id"] for item in deleted["items"]} == {rubric.pk, first.pk, second.pk}  # one delivery
    assert WebhookDelivery.objects.filter(event="page.deleted").count() == 1


def test_each_endpoint_gets_the_events_it_asked_for_and_nothing_of_a_rollback(receiver):
    rubric = add_rubric("Actualités")
    endpoint_for(receiver, events=["atlas.project.created"])
    WebhookEndpoint.objects.create(name="Off", url=receiver.url, events=["page.published"], active=False)
    add_article(rubric, "Sans abonné")
    assert receiver.requests == []

    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.create(title="Annulé", country=Country.objects.get(iso2="SN"), start_year=2024)
        raise RuntimeError("the change failed")
    project = Project.objects.create(title="Gardé", country=Country.objects.get(iso2="SN"), start_year=2024)
    assert [[item["id"] for item in p["items"]] for p in receiver.payloads()] == [[project.pk]]


def test_the_atlas_announces_projects_created_changed_and_ended(receiver):
    endpoint_for(receiver)
    project = Project.objects.create(title="Eau à Dakar", country=Country.objects.get(iso2="SN"), start_year=2024)
    project.budget = 1000
    project.save()
    project.status = Project.Status.COMPLETED
    project.save()
    project_id = project.pk
    project.delete()
    events = [(p["event"], p["items"][0].get("removed")) for p in receiver.payloads()]
    assert {p["items"][0]["id"] for p in receiver.payloads()} == {project_id}
    assert events == [
        ("atlas.project.created", None),
        ("atlas.project.changed", None),
        ("atlas.project.changed", None),
        ("atlas.project.ended", False),
        ("atlas.project.ended", True),
    ]
    payload = receiver.payloads()[0]
    assert payload["items"][0]["api"] == f"/api/atlas/projects/{project_id}/"
    assert {"/api/atlas/facets/", "/api/atlas/projects.geojson", "/api/atlas/countries/"} <= set(payload["revalidate"])


def test_a_csv_import_is_one_delivery_listing_every_project(receiver):
    generate(projects=8, authorities=20, countries=2, seed=5)
    stream = io.StringIO()
    export("projects", stream)
    endpoint_for(receiver, events=["atlas.project.changed"])
    result = import_csv("projects", io.StringIO(stream.getvalue()))
    assert result.updated == 8
    [payload] = receiver.payloads()
    assert sorted(item["id"] for item in payload["items"]) == sorted(Project.objects.values_list("pk", flat=True))


@override_settings(TASKS=DB_QUEUE, CNCD_WEBHOOK_RETRIES=[0, 0, 0])
def test_a_receiver_that_fails_twice_then_recovers_gets_it_on_the_third_attempt():
    rubric = add_rubric("Actualités")
    with Receiver(statuses=[500, 503]) as receiver:
        endpoint = endpoint_for(receiver, events=["page.published"])
        add_article(rubric, "Une nouvelle")
        assert receiver.requests == []  # queued with the change, sent by the worker
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(receiver.requests) == 3
    keys = {headers["webhook-id"] for headers, _body in receiver.requests}
    assert len(keys) == 1  # the same idempotency key each time
    for headers, body in receiver.requests:
        verify(endpoint, headers, body)
    delivery = WebhookDelivery.objects.get(event="page.published")
    assert delivery.state == "delivered" and delivery.attempts == 3
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 200]
    assert '"seen": 3' in delivery.attempt_log.last().response


@override_settings(TASKS=DB_QUEUE, CNCD_WEBHOOK_RETRIES=[0])
def test_given_up_after_the_retries_then_replayed_by_staff(staff_client):
    rubric = add_rubric("Actualités")
    with Receiver(statuses=[500, 500]) as receiver:
        endpoint_for(receiver, events=["page.published"])
        add_article(rubric, "Une nouvelle")
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        delivery = WebhookDelivery.objects.get(event="page.published")
        assert delivery.state == "failed" and delivery.attempts == 2

        inspect = staff_client.get(f"/admin/atlas_pages/webhookdelivery/inspect/{delivery.pk}/")
        assert inspect.status_code == 200
        html = inspect.content.decode()
        assert html.count('class="cncd-webhook-attempt"') == 2 and "HTTP 500" in html and "Renvoyer" in html

        replayed = staff_client.post(f"/admin/webhooks/deliveries/{delivery.pk}/replay/")
        assert replayed.status_code == 302
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 3
    assert len({headers["webhook-id"] for headers, _ in receiver.requests}) == 1


def test_nothing_answering_is_an_error_logged_and_retried(settings):
    settings.CNCD_WEBHOOK_RETRIES = [60]
    with Receiver() as closed:
        url = closed.url
    rubric = add_rubric("Actualités")
    WebhookEndpoint.objects.create(name="Down", url=url, events=["page.published"])
    add_article(rubric, "Une nouvelle")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "retrying" and delivery.next_attempt_at is not None
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None and "ConnectionError" in attempt.error
    # The immediate backend cannot wait: the periodic command sends it once it is due.
    out = io.StringIO()
    call_command("webhooks_retry", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert services.retry_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.state == "failed"


def test_staff_register_an_endpoint_in_the_admin(staff_client, member_client):
    form = staff_client.get("/admin/atlas_pages/webhookendpoint/create/")
    assert form.status_code == 200 and "page.published" in form.content.decode()
    answer = staff_client.post(
        "/admin/atlas_pages/webhookendpoint/create/",
        {
            "name": "Front Next.js",
            "url": "https://front.example.org/api/revalidate",
            "events": ["page.published", "atlas.project.changed"],
            "secret": new_secret(),
            "active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["page.published", "atlas.project.changed"]

    refused = staff_client.post(
        "/admin/atlas_pages/webhookendpoint/create/",
        {"name": "Sans événement", "url": "https://x.example.org/", "secret": "court", "active": "on"},
    )
    assert refused.status_code == 200 and WebhookEndpoint.objects.count() == 1
    errors = refused.context["form"].errors
    assert set(errors) >= {"events", "secret"}

    assert member_client.get("/admin/atlas_pages/webhookendpoint/").status_code in (302, 403)
    assert member_client.post(f"/admin/webhooks/deliveries/{endpoint.pk}/replay/").status_code in (302, 403)


def test_production_requires_https_endpoints(settings):
    from django.core.exceptions import ValidationError

    settings.CNCD_WEBHOOK_REQUIRE_HTTPS = True
    endpoint = WebhookEndpoint(name="Clair", url="http://front.example.org/hook", events=["page.published"])
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert "url" in error.value.message_dict


def test_a_newsletter_issue_sent_is_announced(receiver):
    from newsletter import sending
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscription

    archive = add_page(home_page(), NewsletterIndexPage, title="Lettre", slug="lettre")
    issue = add_page(archive, NewsletterIssuePage, title="La lettre de novembre", subject="Novembre")
    Subscription.objects.create(email="abonne@example.org", state="confirmed", source="import")
    endpoint_for(receiver, events=["newsletter.issue.sent"])
    sending.start(issue)
    [payload] = receiver.payloads()
    assert payload["event"] == "newsletter.issue.sent"
    [item] = payload["items"]
    assert item["id"] == issue.pk and item["path"] == "/lettre/la-lettre-de-novembre/" and item["sent"] == 1
    assert f"/api/newsletter/issues/{issue.pk}/" in payload["revalidate"]


def test_settled_deliveries_are_pruned_and_waiting_ones_kept():
    import datetime as dt

    from django.utils import timezone

    endpoint = WebhookEndpoint.objects.create(name="Front", url="https://front.example.org/", events=EVENT_NAMES)
    old = timezone.now() - dt.timedelta(days=40)
    rows = {
        state: WebhookDelivery.objects.create(endpoint=endpoint, event="page.published", payload={}, state=state)
        for state in ("delivered", "failed", "retrying", "pending")
    }
    WebhookDelivery.objects.update(created_at=old)
    recent = WebhookDelivery.objects.create(endpoint=endpoint, event="page.published", payload={}, state="delivered")
    rows["delivered"].attempt_log.create(number=1, status_code=200)
    out = io.StringIO()
    call_command("webhooks_prune", "--min-age-days", "30", stdout=out)
    assert out.getvalue().startswith("2 ")
    kept = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert kept == {rows["retrying"].pk, rows["pending"].pk, recent.pk}
