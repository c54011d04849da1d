"""The letter in the back office and by command: subscribers imported with their consent and
exported, an issue's screen (preview, test, send, progress), scheduled sending, bounces from
anymail's webhooks or from a file."""

import csv
import io

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Sending, Subscription
from tests.factories import UserFactory
from tests.newsletter.conftest import add_issue, subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="redaction", is_staff=True, is_superuser=True))
    return client


def upload(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("abonnes.csv", content.encode(), content_type="text/csv")


def test_staff_import_subscribers_with_their_consent(staff):
    Subscription.objects.create(email="parti@example.org", state="unsubscribed", source="public_form")
    content = (
        "email,language,rubrics\n"
        "Nouveau@Example.org,fr,news|testimonies\n"
        "pas-une-adresse,fr,\n"
        "parti@example.org,fr,\n"
        "english@example.org,en,sport\n"
    )
    refused = staff.post("/admin/newsletter/subscribers/import/", {"file": upload(content), "consent": ""})
    assert "Indiquez comment ces personnes ont accepté" in refused.content.decode()
    assert not Subscription.objects.filter(email="nouveau@example.org").exists()
    response = staff.post(
        "/admin/newsletter/subscribers/import/",
        {"file": upload(content), "consent": "Inscrits au forum de Lyon, 12 octobre 2026"},
    )
    report = response.context["report"]
    assert (report.created, report.updated) == (1, 0)
    skipped = [str(line) for line in report.skipped]
    assert skipped[0].startswith("Ligne 3 :") and "adresse électronique valide" in skipped[0]
    assert skipped[1].startswith("Ligne 4 : parti@example.org") and "Désinscrit" in skipped[1]
    assert skipped[2].startswith("Ligne 5 :") and "sport" in skipped[2]
    created = Subscription.objects.get(email="nouveau@example.org")
    assert (created.state, created.source, created.rubrics) == ("confirmed", "import", ["news", "testimonies"])
    assert created.consent_method == "Import: Inscrits au forum de Lyon, 12 octobre 2026"
    assert Subscription.objects.get(email="parti@example.org").state == "unsubscribed"


def test_staff_list_count_and_export_subscribers(staff):
    subscribers(2)
    Subscription.objects.create(email="rebond@example.org", state="bounced", source="import")
    listing = staff.get("/admin/newsletter/subscription/")
    assert listing.status_code == 200
    counts = dict(listing.context["state_counts"])
    assert counts["Confirmé"] == 2 and counts["Adresse en échec"] == 1
    export = staff.get("/admin/newsletter/subscribers/export/?state__exact=confirmed")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["email", "state", "language"]
    assert sorted(row[0] for row in rows[1:]) == ["abonne0-fr@example.org", "abonne1-fr@example.org"]


def test_the_issue_screen_previews_tests_and_sends(staff, month_pages, django_capture_on_commit_callbacks):
    issue = add_issue()
    subscribers(3)
    screen = staff.get(f"/admin/newsletter/issues/{issue.pk}/")
    assert screen.status_code == 200 and screen.context["recipients"] == 3
    html = screen.content.decode()
    assert "Envoi du numéro" in html and "Envoi en cours" not in html  # nothing is being sent yet
    preview = staff.get(f"/admin/pages/{issue.pk}/view_draft/?mode=email")
    assert preview.status_code == 200 and "Bonjour Camille Martin," in preview.content.decode()
    staff.post(f"/admin/newsletter/issues/{issue.pk}/", {"action": "test", "addresses": "relecture@example.org"})
    test = mail.outbox[-1]
    assert test.subject == "[TEST] La lettre de novembre" and test.to == ["relecture@example.org"]
    assert test.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bad = staff.post(f"/admin/newsletter/issues/{issue.pk}/", {"action": "test", "addresses": "x"}, follow=True)
    assert "Indiquez une adresse électronique valide." in bad.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/newsletter/issues/{issue.pk}/", {"action": "send"})
    assert len(mail.outbox) == 3
    progress = staff.get(f"/admin/newsletter/issues/{issue.pk}/")
    assert "3 envoyés sur 3" in progress.content.decode()
    again = staff.post(f"/admin/newsletter/issues/{issue.pk}/", {"action": "send"}, follow=True)
    assert "Ce numéro a déjà été envoyé." in again.content.decode() and len(mail.outbox) == 3


def test_a_scheduled_issue_leaves_by_itself(month_pages, django_capture_on_commit_callbacks):
    later = add_issue("Pas encore", slug="plus-tard", send_at=timezone.now() + timezone.timedelta(days=1))
    due = add_issue("C'est l'heure", slug="maintenant", send_at=timezone.now() - timezone.timedelta(minutes=1))
    subscribers(2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("newsletter_dispatch", stdout=io.StringIO())
    assert Sending.objects.get().issue_id == due.pk and not Sending.objects.filter(issue=later).exists()
    assert {message.subject for message in mail.outbox} == {"C'est l'heure"} and len(mail.outbox) == 2


def test_bounces_and_complaints_from_anymail_s_webhooks():
    Subscription.objects.create(email="a@example.org", state="confirmed", source="import")
    Subscription.objects.create(email="b@example.org", state="confirmed", source="import")
    Subscription.objects.create(email="c@example.org", state="confirmed", source="import")
    for kind, address in (("bounced", "a@example.org"), ("complained", "b@example.org"), ("deferred", "c@example.org")):
        tracking.send(sender=object, event=AnymailTrackingEvent(event_type=kind, recipient=address), esp_name="Test")
    assert dict(Subscription.objects.values_list("email", "state")) == {
        "a@example.org": "bounced",
        "b@example.org": "complained",
        "c@example.org": "confirmed",
    }


def test_bounces_from_a_file(tmp_path):
    Subscription.objects.create(email="a@example.org", state="confirmed", source="import")
    Subscription.objects.create(email="b@example.org", state="confirmed", source="import")
    listing = tmp_path / "rebonds.csv"
    listing.write_text("email,reason\nA@example.org,550 unknown user\ninconnu@example.org,550\n", encoding="utf-8")
    out = io.StringIO()
    call_command("newsletter_bounces", str(listing), stdout=out)
    assert "1 of 2" in out.getvalue()
    assert Subscription.objects.get(email="a@example.org").state == "bounced"
    assert Subscription.objects.get(email="b@example.org").state == "confirmed"


def test_members_do_not_reach_the_newsletter_back_office(client, month_pages):
    issue = add_issue()
    client.force_login(UserFactory(username="membre"))
    for path in (
        "/admin/newsletter/subscribers/import/",
        "/admin/newsletter/subscribers/export/",
        f"/admin/newsletter/issues/{issue.pk}/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 403), path
