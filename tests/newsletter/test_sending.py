"""Sending an issue: bulk-sender headers on every message, recipients by language and rubric,
batches resumed after a dropped connection or a dead worker without anyone getting it twice,
bounced addresses skipped, permanent failures recorded, progress."""

from collections import Counter

import pytest
from django.core import mail

from newsletter import sending, services
from newsletter.models import Delivery, Sending, Subscription
from tests.newsletter import backends
from tests.newsletter.conftest import add_issue, smtp_server, subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(month_pages):
    return add_issue()


def start(issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return sending.start(issue)


def delivered() -> Counter:
    return Counter(message.to[0] for message in mail.outbox)


def test_every_message_carries_the_bulk_sender_headers(issue, settings, django_capture_on_commit_callbacks):
    people = subscribers(3)
    current = start(issue, django_capture_on_commit_callbacks)
    assert sending.progress(current).sent == 3 and Sending.objects.get().state == "finished"
    ids = set()
    for message, subscription in zip(sorted(mail.outbox, key=lambda m: m.to[0]), people, strict=True):
        headers = message.extra_headers
        assert message.to == [subscription.email]
        assert message.from_email == "Lettre de la coopération décentralisée <lettre@cncd.example.org>"
        assert headers["List-Unsubscribe"] == (
            f"<{settings.WAGTAILADMIN_BASE_URL}/lettre-information/desinscription/{subscription.token}/>, "
            f"<mailto:desinscription@cncd.example.org?subject=unsubscribe%20{subscription.token}>"
        )
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Id"] == "Lettre de la cooperation decentralisee <lettre.cncd.example.org>"
        ids.add(headers["Message-ID"])
        html = message.alternatives[0][0]
        assert f"/lettre-information/desinscription/{subscription.token}/" in html, "a visible link too"
        assert f"/lettre-information/desinscription/{subscription.token}/" in message.body
        assert "42 000" not in html + message.body, "the padlocked body never goes out"
        raw = message.message().as_string()
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    assert len(ids) == 3, "a unique Message-ID each"


def test_recipients_by_language_rubric_and_state(issue, django_capture_on_commit_callbacks):
    subscribers(2)  # every rubric
    subscribers(1, language="en")
    Subscription.objects.create(
        email="pratiques@example.org", state="confirmed", source="import", rubrics=["good_practices"]
    )
    Subscription.objects.create(email="autre@example.org", state="confirmed", source="import", rubrics=["sport"])
    Subscription.objects.create(email="attente@example.org", state="pending", source="public_form")
    Subscription.objects.create(email="rebond@example.org", state="bounced", source="import")
    Subscription.objects.create(email="parti@example.org", state="unsubscribed", source="import")
    start(issue, django_capture_on_commit_callbacks)
    assert set(delivered()) == {"abonne0-fr@example.org", "abonne1-fr@example.org", "pratiques@example.org"}


def test_an_issue_targeted_at_actor_groups_goes_to_their_members(issue, django_capture_on_commit_callbacks):
    from extranet.models import ActorGroup
    from tests.factories import member_with_profile

    mayor = member_with_profile("maire", "collectivites")
    diplomat = member_with_profile("diplomate", "ambassades", country="SN")
    for member in (mayor, diplomat):
        services.set_member_subscription(member, True)
    # An imported subscriber whose group staff recorded, and one who is in no group.
    subscribers(1, group="collectivites")
    Subscription.objects.create(email="public@example.org", state="confirmed", source="public_form", token="t-pub")
    # A member whose subscription still names their former group is reached by the group verified now.
    Subscription.objects.filter(user=diplomat).update(group="collectivites")

    issue.target_groups.set([ActorGroup.objects.get(slug="collectivites")])
    issue.save_revision().publish()
    assert sorted(
        Subscription.objects.get(pk=pk).email
        for pk in sending.recipient_ids(issue.specific_class.objects.get(pk=issue.pk))
    ) == sorted([mayor.email, "abonne0-fr@example.org"])
    start(issue.specific_class.objects.get(pk=issue.pk), django_capture_on_commit_callbacks)
    assert set(delivered()) == {mayor.email, "abonne0-fr@example.org"}


def test_a_dropped_connection_is_retried_without_duplicates(issue, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_EMAIL_BACKEND = "tests.newsletter.backends.DropsAfter"
    settings.NEWSLETTER_BATCH_SIZE, settings.NEWSLETTER_FLUSH_EVERY = 5, 2
    settings.NEWSLETTER_RETRY_SECONDS = 0
    backends.DropsAfter.limit, backends.DropsAfter.accepted = 7, 0
    subscribers(12)
    current = start(issue, django_capture_on_commit_callbacks)
    first = sending.progress(current)
    assert (first.sent, first.queued, first.state) == (7, 5, "running"), "stopped at the dropped connection"
    retried = Delivery.objects.get(attempts=1, state="queued", error__contains="SMTPServerDisconnected")
    assert retried.next_attempt_at is not None
    final = sending.run(current.pk)
    assert (final.sent, final.failed, final.state) == (12, 0, "finished")
    assert all(count == 1 for count in delivered().values()) and len(delivered()) == 12
    assert Delivery.objects.get(pk=retried.pk).attempts == 2


def test_a_dead_worker_resumes_without_duplicates(issue, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_EMAIL_BACKEND = "tests.newsletter.backends.DiesAfter"
    settings.NEWSLETTER_BATCH_SIZE, settings.NEWSLETTER_FLUSH_EVERY = 5, 2
    backends.DiesAfter.limit, backends.DiesAfter.accepted = 8, 0
    subscribers(12)
    start(issue, django_capture_on_commit_callbacks)  # the task's worker dies (the task backend records it)
    assert len(mail.outbox) == 8
    current = Sending.objects.get()
    assert Delivery.objects.filter(state="sending").count() == 3, "the dead worker's batch, from its last flush"
    assert sending.run(current.pk).state == "running", "a batch held by a live worker is left alone"
    assert len(mail.outbox) == 10, "the others go on (11 and 12)"
    settings.NEWSLETTER_CLAIM_SECONDS = 0  # the claim is now old: its worker is dead
    final = sending.run(current.pk)
    counts = delivered()
    assert all(count == 1 for count in counts.values()), "nobody gets it twice"
    interrupted = Delivery.objects.filter(state="failed", error=sending.INTERRUPTED)
    assert interrupted.count() <= settings.NEWSLETTER_FLUSH_EVERY
    assert final.sent + interrupted.count() == 12 and final.state == "finished"
    # Rows 8 and 9 were held since the last flush: 8 had gone out, 9 had not; neither is sent again.
    assert interrupted.count() == 2 and final.sent == 10 and len(counts) == 11


def test_permanent_failures_are_recorded_and_not_retried(issue, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_EMAIL_BACKEND = "tests.newsletter.backends.RefusesSome"
    subscribers(3)
    Subscription.objects.create(email="refuse@example.org", state="confirmed", source="import")
    current = start(issue, django_capture_on_commit_callbacks)
    progress = sending.progress(current)
    assert (progress.sent, progress.failed, progress.state) == (3, 1, "finished")
    failed = Delivery.objects.get(state="failed")
    assert failed.subscription.email == "refuse@example.org" and "550" in failed.error and failed.attempts == 1


def test_an_address_that_bounces_after_queueing_is_skipped(issue, settings, django_capture_on_commit_callbacks):
    people = subscribers(3)
    with django_capture_on_commit_callbacks(execute=False):
        current = sending.start(issue)
    services.mark_undeliverable([people[1].email])
    sending.run(current.pk)
    assert set(delivered()) == {people[0].email, people[2].email}
    assert Delivery.objects.get(subscription=people[1]).state == "skipped"


def test_an_issue_is_sent_once(issue, django_capture_on_commit_callbacks):
    subscribers(2)
    start(issue, django_capture_on_commit_callbacks)
    with pytest.raises(sending.AlreadySent):
        start(issue, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_sending_reads_a_fixed_number_of_queries_per_batch(
    issue, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.NEWSLETTER_FLUSH_EVERY = 20
    subscribers(60)
    with django_capture_on_commit_callbacks(execute=False):
        current = sending.start(issue)
    with django_assert_max_num_queries(40):
        sending.run(current.pk)
    assert len(mail.outbox) == 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_connections_share_the_work_without_duplicates(month_pages, settings):
    settings.NEWSLETTER_CONNECTIONS, settings.NEWSLETTER_BATCH_SIZE = 3, 7
    issue = add_issue()
    subscribers(50)
    current = sending.start(issue)  # no transaction here: the task runs at once
    assert sending.progress(current).sent == 50
    counts = delivered()
    assert len(counts) == 50 and set(counts.values()) == {1}
    assert len(set(Delivery.objects.values_list("message_id", flat=True))) == 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_over_smtp_the_messages_are_well_formed(month_pages, settings):
    """Through a real SMTP server on loopback, the messages the sender writes itself parse as
    multipart/alternative with every header and each recipient's own link."""
    import email
    from email import policy

    class Keep:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.envelopes.append(envelope)
            return "250 OK"

    handler = Keep()
    with smtp_server(handler) as port:
        settings.NEWSLETTER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        settings.NEWSLETTER_CONNECTIONS = 2
        people = subscribers(5)
        Subscription.objects.filter(pk=people[0].pk).update(email="élodie@exemple.fr")  # not ASCII: Django's way
        current = sending.start(add_issue())
        assert sending.progress(current).sent == 5
    assert len(handler.envelopes) == 5
    tokens = {subscription.token for subscription in people}
    for envelope in handler.envelopes:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        assert message["From"] == "Lettre de la coopération décentralisée <lettre@cncd.example.org>"
        assert message["Subject"] == "La lettre de novembre"
        assert message["To"] == envelope.rcpt_tos[0]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == settings.NEWSLETTER_LIST_ID
        assert message["Message-ID"].startswith(f"<lettre.{current.pk}.")
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        token = next(token for token in tokens if token in message["List-Unsubscribe"])
        assert f"/lettre-information/desinscription/{token}/" in html and token in text
        assert "Zoom sur le Viet Nam" in html and "Bonjour," in text
        assert "42 000" not in html + text
