"""Sending an issue to its subscribers: in batches over one SMTP connection each, every delivery
recorded, transient failures retried with back-off, at a configurable rate, and resumable after
a crash or a restart without writing to anyone twice.

How a resumed sending avoids duplicates: a worker claims a batch (its deliveries go from
``queued`` to ``sending`` with the batch's name and the time), sends them in id order and marks
them ``sent`` every ``NEWSLETTER_FLUSH_EVERY`` messages. A worker that dies leaves its batch in
``sending``: once the claim is older than ``NEWSLETTER_CLAIM_SECONDS``, ``recover`` marks the
first ``NEWSLETTER_FLUSH_EVERY`` of them failed as “interrupted” (they may have gone out; they
are not sent again) and puts the others, never tried, back in the queue.
"""

import contextlib
import smtplib
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django import db
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.exceptions import Conflict
from atlas_pages.core.webhooks.pages import path_of
from atlas_pages.core.webhooks.services import announce
from newsletter import composition, mime, rendering
from newsletter.models import Delivery, NewsletterIssuePage, Sending, Subscription

DState = Delivery.State
INTERRUPTED = "interrupted while being sent: not sent again, so as never to send it twice"


class AlreadySent(Conflict):
    default_message = _("This issue has already been sent.")


# --- who receives it ----------------------------------------------------------------------------


def recipient_ids(issue: NewsletterIssuePage):
    """Confirmed subscribers reading the issue's language whose rubrics meet the issue's
    (an empty choice takes every rubric), and of its actor groups when it targets some, streamed."""
    rubrics = composition.rubrics_of(issue)
    subscribers = Subscription.objects.filter(state=Subscription.State.CONFIRMED, language=issue.language)
    groups = list(issue.target_groups.values_list("slug", flat=True)) if issue.pk else []
    if groups:  # a member by the group staff verified (now), anyone else by the group kept on the subscription
        verified = get_user_model().groups.through.objects.filter(
            user_id=OuterRef("user_id"), group__actor_group__slug__in=groups
        )
        subscribers = subscribers.filter(Q(Exists(verified)) | Q(user__isnull=True, group__in=groups))
    rows = subscribers.values_list("pk", "rubrics").order_by("pk").iterator(chunk_size=5000)
    for pk, chosen in rows:
        if not chosen or not rubrics or rubrics.intersection(chosen):
            yield pk


def start(issue: NewsletterIssuePage, user=None) -> Sending:
    """Queues a delivery per recipient (idempotent) and starts the sending in the background."""
    from newsletter.tasks import send_issue

    if not issue.live:
        raise Conflict(_("Publish the issue before sending it."))
    with transaction.atomic():
        sending, created = Sending.objects.select_for_update().get_or_create(
            issue=issue, defaults={"requested_by": user}
        )
        if sending.state == Sending.State.FINISHED:
            raise AlreadySent()
        if created or sending.state == Sending.State.SCHEDULED:
            batch = []
            for pk in recipient_ids(issue):
                batch.append(pk)
                if len(batch) >= 5000:
                    _queue(sending, batch)
                    batch = []
            _queue(sending, batch)
            sending.total = sending.deliveries.count()
            sending.state = Sending.State.RUNNING
            sending.started_at = timezone.now()
            sending.save()
    transaction.on_commit(lambda: send_issue.enqueue(sending.pk))
    return sending


def _queue(sending: Sending, subscription_ids: list[int]) -> None:
    """One queued delivery per subscriber, those already queued left as they are. Written as
    rows of values (``executemany``): building 10,000 model instances to insert them cost more
    than the rest of the queueing."""
    if not subscription_ids:
        return
    fields = [field for field in Delivery._meta.concrete_fields if not field.primary_key]
    given = {"sending": sending.pk}
    defaults = [
        None if field.name == "subscription" else given.get(field.name, field.get_default()) for field in fields
    ]
    where = [index for index, field in enumerate(fields) if field.name == "subscription"][0]
    connection = db.connections[Delivery.objects.db]
    table = connection.ops.quote_name(Delivery._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = []
    for subscription_id in subscription_ids:
        row = list(defaults)
        row[where] = subscription_id
        rows.append([field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",  # noqa: S608
            rows,
        )


# --- progress -----------------------------------------------------------------------------------


@dataclass
class Progress:
    total: int
    queued: int
    sending: int
    sent: int
    failed: int
    skipped: int
    state: str

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped


def progress(sending: Sending) -> Progress:
    counts = dict(sending.deliveries.values_list("state").annotate(n=Count("pk")).order_by().values_list("state", "n"))
    sending.refresh_from_db(fields=["state", "total"])
    return Progress(
        total=sending.total,
        queued=counts.get(DState.QUEUED, 0),
        sending=counts.get(DState.SENDING, 0),
        sent=counts.get(DState.SENT, 0),
        failed=counts.get(DState.FAILED, 0),
        skipped=counts.get(DState.SKIPPED, 0),
        state=sending.state,
    )


# --- the messages -------------------------------------------------------------------------------


def mailto(subscription: Subscription) -> str:
    return f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{subscription.token}"


def message_id(sending_id: int, delivery_id: int) -> str:
    """Unique per delivery, so that it need not be stored message by message."""
    return f"<lettre.{sending_id}.{delivery_id}@{settings.NEWSLETTER_MESSAGE_ID_DOMAIN}>"


def headers(subscription: Subscription, url: str, msgid: str | None = None) -> dict[str, str]:
    """What bulk senders must carry (RFC 2369, RFC 8058, Gmail and Yahoo's rules)."""
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": settings.NEWSLETTER_LIST_ID,
        "Message-ID": msgid or make_msgid(domain=settings.NEWSLETTER_MESSAGE_ID_DOMAIN),
        "Auto-Submitted": "auto-generated",
    }


def message(personalise: rendering.Personaliser, subscription: Subscription, msgid=None, connection=None):
    """The message as Django builds it (any e-mail backend)."""
    html, text, url = personalise(subscription)
    email = EmailMultiAlternatives(
        personalise.compiled.subject,
        text,
        settings.NEWSLETTER_FROM_EMAIL,
        [subscription.email],
        headers=headers(subscription, url, msgid),
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email


def send_test(issue: NewsletterIssuePage, addresses: list[str]) -> int:
    """The issue as subscribers will get it, to a few addresses, subject marked [TEST]."""
    personalise = rendering.Personaliser(rendering.build(issue), issue.language)
    messages = []
    for address in addresses:
        sample = Subscription(email=address, token="test", language=issue.language)
        email = message(personalise, sample)
        email.subject = f"[TEST] {email.subject}"
        messages.append(email)
    return get_connection(settings.NEWSLETTER_EMAIL_BACKEND).send_messages(messages) or 0


# --- failures -----------------------------------------------------------------------------------


def is_transient(error: Exception) -> bool:
    """Worth trying again later: the connection broke, or the server answered 4xx."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError | TimeoutError)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_RETRY_SECONDS * (2 ** max(attempts - 1, 0)))


# --- the work -----------------------------------------------------------------------------------

_SQLITE_WRITES = threading.Lock()


def _writing():
    """SQLite takes one writer at a time: the sending's threads take turns for their (short)
    writes instead of meeting “database is locked”; the SMTP exchanges stay parallel."""
    return _SQLITE_WRITES if db.connection.vendor == "sqlite" else contextlib.nullcontext()


def recover(sending: Sending, now=None) -> int:
    """Deals with batches a dead worker left (see the module's doc); returns how many rows."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_SECONDS)
    chunks = (
        sending.deliveries.filter(state=DState.SENDING, next_attempt_at__lt=stale)
        .values_list("chunk", flat=True)
        .distinct()
    )
    recovered = 0
    for chunk in list(chunks):
        ids = list(
            sending.deliveries.filter(state=DState.SENDING, chunk=chunk).order_by("pk").values_list("pk", flat=True)
        )
        doubt, untried = ids[: settings.NEWSLETTER_FLUSH_EVERY], ids[settings.NEWSLETTER_FLUSH_EVERY :]
        with transaction.atomic():
            Delivery.objects.filter(pk__in=doubt, state=DState.SENDING).update(
                state=DState.FAILED, error=INTERRUPTED, chunk=""
            )
            Delivery.objects.filter(pk__in=untried, state=DState.SENDING).update(
                state=DState.QUEUED, chunk="", next_attempt_at=None
            )
        recovered += len(ids)
    return recovered


@dataclass(slots=True)
class _Person:
    first_name: str
    last_name: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()  # as Django's User says it


@dataclass(slots=True)
class _Reader:
    """What sending reads of a subscriber (a batch of 200 model instances, with their account,
    cost more than writing their messages)."""

    id: int
    email: str
    token: str
    state: str
    language: str
    user_id: int | None
    user: _Person | None

    @property
    def pk(self) -> int:
        return self.id

    def get_state_display(self) -> str:
        return str(Subscription.State(self.state).label)


@dataclass(slots=True)
class _Claimed:
    pk: int
    attempts: int
    subscription: _Reader


CLAIMED_FIELDS = (
    "id", "attempts", "subscription__id", "subscription__email", "subscription__token", "subscription__state",
    "subscription__language", "subscription__user_id", "subscription__user__first_name",
    "subscription__user__last_name",
)  # fmt: skip


def _claim(sending: Sending, size: int, now) -> tuple[str, list[_Claimed]]:
    """The next due batch, for this worker alone. Workers that picked the same rows race on the
    conditional UPDATE; the loser looks again instead of stopping (else connections would go
    idle while work remains)."""
    while True:
        due = (
            sending.deliveries.filter(state=DState.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        ids = list(due)
        if not ids:
            return "", []
        chunk = uuid.uuid4().hex
        taken = Delivery.objects.filter(pk__in=ids, state=DState.QUEUED).update(
            state=DState.SENDING, chunk=chunk, next_attempt_at=now
        )
        if taken:
            rows = (
                Delivery.objects.filter(chunk=chunk, state=DState.SENDING).order_by("pk").values_list(*CLAIMED_FIELDS)
            )
            return chunk, [
                _Claimed(
                    pk=pk,
                    attempts=attempts,
                    subscription=_Reader(
                        subscription_id,
                        email,
                        token,
                        state,
                        language,
                        user_id,
                        _Person(first or "", last or "") if user_id else None,
                    ),
                )  # fmt: skip
                for pk, attempts, subscription_id, email, token, state, language, user_id, first, last in rows
            ]


class _Flusher:
    """Marks sent deliveries every ``every`` messages, in one UPDATE (their Message-ID derived
    from their id by the database). The statement is written once per batch: compiling the same
    ORM update 500 times per 10,000 messages cost a sixth of the sender's time."""

    def __init__(self, every: int, sending_id: int):
        self.every, self.done = max(every, 1), []
        self.connection = db.connections[Delivery.objects.db]
        quote = self.connection.ops.quote_name
        # Names quoted by the backend, every value a parameter.
        self.statement = (
            f"UPDATE {quote(Delivery._meta.db_table)} SET {quote('state')} = %s, {quote('sent_at')} = %s, "  # noqa: S608
            f"{quote('chunk')} = '', {quote('attempts')} = {quote('attempts')} + 1, {quote('message_id')} = "
            f"CAST(%s AS VARCHAR(255)) || CAST({quote('id')} AS VARCHAR(20)) || CAST(%s AS VARCHAR(255)) "
            f"WHERE {quote('id')} IN "
        )
        self.prefix = f"<lettre.{sending_id}."
        self.suffix = f"@{settings.NEWSLETTER_MESSAGE_ID_DOMAIN}>"
        self.sent_at = Delivery._meta.get_field("sent_at")

    def add(self, delivery: _Claimed) -> None:
        self.done.append(delivery.pk)
        if len(self.done) >= self.every:
            self.flush()

    def flush(self) -> None:
        if not self.done:
            return
        with _writing():
            self._write()
        self.done = []

    def _write(self) -> None:
        now = self.sent_at.get_db_prep_save(timezone.now(), self.connection)
        with self.connection.cursor() as cursor:
            cursor.execute(
                self.statement + "(" + ", ".join(["%s"] * len(self.done)) + ")",
                [DState.SENT, now, self.prefix, self.suffix, *self.done],
            )


class _Pace:
    """At most ``NEWSLETTER_RATE_PER_SECOND`` messages a second, shared by the connections."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate else 0
        self.next_slot = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            slot = max(self.next_slot, time.monotonic())
            self.next_slot = slot + self.interval
        pause = slot - time.monotonic()
        if pause > 0:
            time.sleep(pause)


@dataclass
class _Job:
    sending: Sending
    personalise: rendering.Personaliser
    assembled: mime.IssueMessage
    text: mime.Prepared
    html: mime.Prepared
    pace: _Pace
    deadline: float | None


def run(sending_id: int, *, max_seconds: float | None = None) -> Progress:
    """Sends what is due, batch after batch, over ``NEWSLETTER_CONNECTIONS`` SMTP connections at
    once (each in its thread, claiming its own batches), until nothing is due or ``max_seconds``
    pass."""
    sending = Sending.objects.select_related("issue").get(pk=sending_id)
    if sending.state != Sending.State.RUNNING:
        return progress(sending)
    recover(sending)
    issue = sending.issue
    compiled = rendering.compile_issue(issue)
    job = _Job(
        sending=sending,
        personalise=rendering.Personaliser(compiled, issue.language),
        assembled=mime.IssueMessage(
            compiled.subject,
            settings.NEWSLETTER_FROM_EMAIL,
            settings.NEWSLETTER_LIST_ID,
            {"Auto-Submitted": "auto-generated"},
        ),
        text=mime.Prepared(compiled.text, rendering.Personaliser.MARKERS),
        html=mime.Prepared(compiled.html, rendering.Personaliser.MARKERS),
        pace=_Pace(settings.NEWSLETTER_RATE_PER_SECOND),
        deadline=time.monotonic() + max_seconds if max_seconds is not None else None,
    )
    workers = max(settings.NEWSLETTER_CONNECTIONS, 1)
    if workers == 1:
        _work(job)
    else:
        failures: list[BaseException] = []
        threads = [threading.Thread(target=_thread, args=(job, failures), daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
    return _finish(sending)


def _thread(job: _Job, failures: list) -> None:
    try:
        _work(job)
    except BaseException as error:  # noqa: BLE001 — handed to the caller, as if it were its own
        failures.append(error)
    finally:
        db.connection.close()


def _work(job: _Job) -> None:
    """One connection's share: claim a batch, send it, until nothing is due."""
    while job.deadline is None or time.monotonic() < job.deadline:
        with _writing():
            chunk, batch = _claim(job.sending, settings.NEWSLETTER_BATCH_SIZE, timezone.now())
        if not batch or _send_batch(job, chunk, batch):
            return


def _send_batch(job: _Job, chunk: str, batch: list[_Claimed]) -> bool:
    """Sends a batch over one connection; True when the connection broke (stop for now)."""
    connection = get_connection(settings.NEWSLETTER_EMAIL_BACKEND)
    flusher = _Flusher(settings.NEWSLETTER_FLUSH_EVERY, job.sending.pk)
    broken = False
    try:
        connection.open()
        direct = mime.usable(connection) and mime.plain_address(job.assembled.envelope_from)
        for delivery in batch:
            subscription = delivery.subscription
            if subscription.state != Subscription.State.CONFIRMED:  # unsubscribed or bounced since
                flusher.flush()
                with _writing():
                    Delivery.objects.filter(pk=delivery.pk).update(
                        state=DState.SKIPPED, chunk="", error=str(subscription.get_state_display())
                    )
                continue
            job.pace.wait()
            msgid = message_id(job.sending.pk, delivery.pk)
            delivery.attempts += 1
            try:
                if direct and mime.plain_address(subscription.email):
                    in_text, in_html = job.personalise.values(subscription)
                    data = job.assembled.render_encoded(
                        subscription.email,
                        msgid,
                        in_text[0],
                        mailto(subscription),
                        job.text.fill(in_text, stuffed=True),
                        job.html.fill(in_html, stuffed=True),
                    )
                    mime.send_one(
                        connection.connection, job.assembled.envelope_from, subscription.email, data, stuffed=True
                    )
                else:
                    connection.send_messages([message(job.personalise, subscription, msgid, connection)])
            except Exception as error:  # noqa: BLE001 — every failure is recorded on the delivery
                flusher.flush()
                with _writing():
                    _failed(delivery, error)
                if is_transient(error):
                    broken = True
                    break
                continue
            flusher.add(delivery)
        flusher.flush()
    finally:
        if broken:  # the rest of the batch was not tried: back in the queue, as it was
            with _writing():
                Delivery.objects.filter(chunk=chunk, state=DState.SENDING).update(
                    state=DState.QUEUED, chunk="", next_attempt_at=None
                )
        with contextlib.suppress(Exception):  # a connection that broke cannot be closed cleanly
            connection.close()
    return broken


def _failed(delivery: _Claimed, error: Exception) -> None:
    text = f"{type(error).__name__}: {error}"[:2000]
    if is_transient(error) and delivery.attempts < settings.NEWSLETTER_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DState.QUEUED,
            chunk="",
            attempts=delivery.attempts,
            error=text,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DState.FAILED, chunk="", attempts=delivery.attempts, error=text
        )


def _finish(sending: Sending) -> Progress:
    """Finished when nothing is queued or being sent; else the next try is scheduled."""
    from newsletter.tasks import send_issue

    current = progress(sending)
    if current.queued == 0 and current.sending == 0:
        finished = Sending.objects.filter(pk=sending.pk, state=Sending.State.RUNNING).update(
            state=Sending.State.FINISHED, finished_at=timezone.now()
        )
        done = progress(sending)
        if finished:
            announce_sent(sending, done.sent)
        return done
    retry_at = (
        sending.deliveries.filter(state=DState.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if send_issue.get_backend().supports_defer and retry_at is not None:
        send_issue.using(run_after=retry_at).enqueue(sending.pk)
    return current


def announce_sent(sending: Sending, sent: int) -> None:
    """The publish webhook ``newsletter.issue.sent``: the issue's web version and the archive."""
    issue = NewsletterIssuePage.objects.select_related("locale").get(pk=sending.issue_id)
    path = path_of(issue)
    announce(
        "newsletter.issue.sent",
        [
            (
                issue.pk,
                {
                    "id": issue.pk,
                    "path": path,
                    "locale": issue.locale.language_code,
                    "language": issue.language,
                    "api": f"/api/newsletter/issues/{issue.pk}/",
                    "sent": sent,
                },
            )
        ],
        ["/api/newsletter/issues/", f"/api/newsletter/issues/{issue.pk}/", path],
    )


def dispatch(now=None) -> list[Sending]:
    """What the periodic command does: starts the issues whose date has come, and resumes the
    sendings a crash or a restart left running."""
    from newsletter.tasks import send_issue

    now = now or timezone.now()
    started = []
    due = NewsletterIssuePage.objects.live().filter(send_at__lte=now, sending__isnull=True)
    for issue in due:
        started.append(start(issue))
    for sending in Sending.objects.filter(state=Sending.State.RUNNING).exclude(pk__in=[item.pk for item in started]):
        send_issue.enqueue(sending.pk)
    return started
