"""The mail room (atlas_pages.core.mail): every e-mail is queued with the change it tells about,
sent by the worker in the recipient's language as text and HTML, one message per recipient,
and kept as the member's notice when asked."""

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from atlas_pages.core import mail
from extranet.models import ActorGroup, MemberProfile, Notice
from extranet.services import approve_registration
from newsletter.models import Subscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def registration(username, email):
    user = UserFactory(username=username, email=email, first_name="Inès", last_name="Roux")
    return MemberProfile.objects.create(
        user=user, actor_group=ActorGroup.objects.get(slug="collectivites"), organisation="Ville de Lyon"
    )


def run_worker():
    """The real worker, in this process: it closes the database connection when it is done, so
    the tests that run it do not hold their data in a transaction (transaction=True)."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DB_QUEUE)
def test_a_decision_is_queued_with_the_change_and_sent_by_the_worker():
    profile = registration("adjointe", "adjointe@lyon.example.org")
    approve_registration(profile, by=UserFactory(username="agent", is_staff=True))
    assert outbox.outbox == []  # the web process only queued it
    assert DBTaskResult.objects.filter(task_path="atlas_pages.core.mail.deliver").count() == 1

    run_worker()
    [message] = outbox.outbox
    assert message.to == ["adjointe@lyon.example.org"]
    assert "Inès" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="fr">' in html and "Inès" in html
    [notice] = Notice.objects.filter(user=profile.user)
    assert notice.subject == message.subject and notice.url == "/espace-personnel/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DB_QUEUE)
def test_a_change_that_fails_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send("newsletter/email/confirm", ["someone@example.org"], context={"url": "https://x.example", "days": 7})
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert outbox.outbox == []


def test_each_recipient_reads_it_in_their_language_and_sees_no_other_address():
    Subscription.objects.create(email="reader@example.org", language="en", state=Subscription.State.CONFIRMED)
    sent = mail.send(
        "newsletter/email/confirm",
        ["lecteur@example.org", "reader@example.org", "reader@example.org", ""],
        context={"url": "https://cncd.example.org/confirm", "days": 7},
    )
    assert sent == 2
    by_address = {message.to[0]: message for message in outbox.outbox}
    assert sorted(by_address) == ["lecteur@example.org", "reader@example.org"]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in outbox.outbox)
    french, english = by_address["lecteur@example.org"], by_address["reader@example.org"]
    assert french.subject != english.subject
    assert "abonnement" in french.subject.lower() or "lettre" in french.subject.lower()
    assert '<html lang="en">' in english.alternatives[0][0]
    assert '<html lang="fr">' in french.alternatives[0][0]


def test_a_message_whose_object_is_gone_is_not_sent():
    subscription = Subscription.objects.create(email="late@example.org", state=Subscription.State.CONFIRMED)
    mail.send(
        "newsletter/email/confirm",
        [subscription.email],
        context_from="newsletter.services.confirmation_context",
        context_args={"subscription_id": subscription.pk, "nonce": "not-the-nonce"},
    )
    assert outbox.outbox == []


def test_without_keep_notice_no_notice_is_kept():
    user = UserFactory(username="membre", email="membre@example.org")
    mail.send("newsletter/email/confirm", [user.email], context={"url": "https://x.example", "days": 7})
    assert len(outbox.outbox) == 1
    assert not Notice.objects.filter(user=user).exists()


def test_the_text_is_escaped_in_the_html_part():
    mail.send(
        "extranet/email/export_shared",
        ["collegue@example.org"],
        context={
            "sender": "<script>alert(1)</script>",
            "sender_email": "a@example.org",
            "message": "Voir <b>ceci</b> & cela",
            "attached": False,
            "link": "https://cncd.example.org/lien",
            "link_days": 7,
            "export": {"title": "Atlas", "project_count": 3},
            "filters": [],
        },
    )
    [message] = outbox.outbox
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>ceci</b>" not in html
    assert '<a href="https://cncd.example.org/lien"' in html
