"""The newsletter sent to 10,000 subscribers through a real SMTP server on loopback (an aiosmtpd
sink started here), end to end: queueing the deliveries, rendering each message, SMTP, and
recording every delivery.

Baseline, measured in the same run: the same number of ready-made messages pushed through
smtplib over one connection to the same sink, which is what the SMTP server alone can take.
Anchors: listmonk's defaults cap sending at 100 messages per second; its maintainer reports
about 50,000 a minute (~830/s) per SMTP server. Target: at least 1,000 messages per second,
and memory flat in the number of subscribers (peak at 10,000 against peak at 2,000).
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils.text import slugify
from wagtail.models import Site

from atlas_pages.models import ArticlePage, RubricIndexPage
from bench.common import Row
from newsletter import mime, rendering, sending
from newsletter.models import Delivery, NewsletterIndexPage, NewsletterIssuePage, Sending, Subscription

SUBSCRIBERS = 10_000
SMALL = 2_000


class Sink:
    """aiosmtpd in its own process (``bench/smtp_sink.py``), counting what it accepts."""

    def __init__(self):
        self.port = _free_port()
        self.count_file = Path(tempfile.mkdtemp()) / "count"
        self.count_file.write_text("0")
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(  # noqa: S603 — our own interpreter and module
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "bench.smtp_sink.CountingSink",
                str(self.count_file),
            ],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    @property
    def count(self) -> int:
        return int(self.count_file.read_text() or 0)

    def reset(self) -> None:
        self.count_file.write_text("0")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _page(parent, model, **fields):
    page = model(slug=slugify(fields["title"]), **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _issue(number: int) -> NewsletterIssuePage:
    home = Site.objects.get(is_default_site=True).root_page.specific
    news = RubricIndexPage.objects.first() or _page(home, RubricIndexPage, title="Actualités", kind="news")
    today = dt.date.today()
    for index in range(4):
        _page(
            news,
            ArticlePage,
            title=f"Actualité {number}-{index}",
            teaser="Une actualité de la coopération décentralisée. " * 3,
            date=today,
            body=[("paragraph", "<p>Corps.</p>")],
        )
    archive = NewsletterIndexPage.objects.first() or _page(home, NewsletterIndexPage, title="Lettre")
    return _page(archive, NewsletterIssuePage, title=f"Lettre {number}", subject=f"La lettre {number}")


def _subscribers(count: int) -> None:
    Subscription.objects.all().delete()
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"abonne{number}@example.org",
                state=Subscription.State.CONFIRMED,
                source=Subscription.Source.IMPORT,
                token=f"bench-{number}",
            )
            for number in range(count)
        ],
        batch_size=2000,
    )


def _send(issue, *, memory: bool) -> tuple[float, int, int]:
    """Seconds, messages sent, peak traced bytes (0 when not traced)."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    current = sending.start(issue)  # the task runs on commit; here there is no transaction: run it
    progress = sending.run(current.pk)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if memory else 0
    if memory:
        tracemalloc.stop()
    return elapsed, progress.sent, peak


def _baseline(port: int, count: int, payload: bytes, connections: int) -> float:
    """The same bytes, ready-made, pushed by smtplib over as many connections as the sender
    uses: what the SMTP server alone can take."""

    def push(share: int) -> None:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for number in range(share):
                smtp.sendmail("lettre@cncd.example.org", [f"abonne{number}@example.org"], payload)

    started = time.perf_counter()
    threads = [threading.Thread(target=push, args=(count // connections,)) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (count // connections) * connections / (time.perf_counter() - started)


def _payload(issue) -> bytes:
    """One recipient's message, as the sender writes it."""
    compiled = rendering.compile_issue(issue)
    personalise = rendering.Personaliser(compiled, issue.language)
    subscription = Subscription.objects.first()
    html, text, url = personalise(subscription)
    assembled = mime.IssueMessage(compiled.subject, settings.NEWSLETTER_FROM_EMAIL, settings.NEWSLETTER_LIST_ID)
    return assembled.render(subscription.email, "<bench@example.org>", url, sending.mailto(subscription), text, html)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run() -> list[Row]:
    sink = Sink()
    port = sink.port
    try:
        with override_settings(
            NEWSLETTER_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            NEWSLETTER_RATE_PER_SECOND=0,
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        ):
            _subscribers(SUBSCRIBERS)
            first = _issue(1)
            elapsed, sent, _peak = _send(first, memory=False)
            time.sleep(0.5)  # the sink's last count is written
            assert sent == SUBSCRIBERS and sink.count >= SUBSCRIBERS, (sent, sink.count)
            assert Delivery.objects.filter(state="sent").count() == SUBSCRIBERS
            rate = sent / elapsed

            _subscribers(SMALL)
            _small_time, _sent, small_peak = _send(_issue(2), memory=True)
            _subscribers(SUBSCRIBERS)
            _large_time, _sent, large_peak = _send(_issue(3), memory=True)

            baseline = _baseline(port, 6000, _payload(first), settings.NEWSLETTER_CONNECTIONS)
    finally:
        sink.stop()
        Sending.objects.all().delete()

    growth = large_peak / small_peak if small_peak else 0
    return [
        Row(
            "Newsletter: 10,000 messages over SMTP, end to end",
            rate,
            "/s",
            ">= 1000 /s",
            f"{rate / baseline:.2f}× raw smtplib",
            ok=rate >= 1000,
        ),
        Row("Newsletter: total time for 10,000", elapsed, "s"),
        Row("Newsletter: the same bytes by raw smtplib (baseline)", baseline, "/s"),
        Row(f"Newsletter: peak memory, {SMALL:,} subscribers", small_peak / 1e6, "MB"),
        Row(
            f"Newsletter: peak memory, {SUBSCRIBERS:,} subscribers",
            large_peak / 1e6,
            "MB",
            "flat (< 1.5× the 2,000 peak)",
            f"{growth:.2f}× the 2,000 peak",
            ok=growth < 1.5,
        ),
    ]
