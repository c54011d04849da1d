"""The newsletter sent to 10,000 subscribers through a real SMTP server on loopback (Postfix's
``smtp-sink``, started here), end to end: queueing the deliveries, rendering each message, SMTP,
and recording every delivery.

Baselines, alternating with the project in the same run (send, raw, wire, send, raw, wire…,
``ROUNDS`` times), the same bytes (the issue as one recipient gets it) over as many connections
as the sender uses, to the same sink:
- raw smtplib: the bytes ready-made, pushed by ``sendmail`` (the target's baseline);
- the wire: the bytes ready-made and dot-stuffed, commands written on the socket, replies read
  and nothing else: what the pipe takes. No sender can pass it; the project's ratio to it is a
  check that the measurement is physical.
The sink's own CPU is reported: when it nears a core, every side waits for it and the ratios
measure the sink (aiosmtpd did, reading DATA line by line at ~1,000 messages a second).
The ratios are the medians of each round's ratio, so that a machine getting busier or quieter
during the run moves every side. Anchors: listmonk's defaults cap sending at 100 messages per
second; its maintainer reports about 50,000 a minute (~830/s) per SMTP server. Targets: at least
1,000 messages per second and 0.9× raw smtplib, and memory flat in the number of subscribers:
peak RSS of a fresh process sending to 10,000 against one sending to 2,000 (and the Python heap
by tracemalloc, in the same processes).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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
ROUNDS = 3


class Sink:
    """Postfix's ``smtp-sink`` (C, event-driven), accepting everything and counting it.

    A sink written in Python (aiosmtpd) took a whole core at ~1,000 messages a second, reading
    DATA line by line: both sides then waited for it, and the ratio measured the sink, not the
    sender. ``smtp-sink`` takes a fraction of a core at three times that rate, so the sender's
    own cost is what shows."""

    BINARY = "/usr/sbin/smtp-sink"

    def __init__(self):
        if not os.access(self.BINARY, os.X_OK):
            raise RuntimeError(f"{self.BINARY} is missing: make bench installs it (Debian's postfix package)")
        self.port = _free_port()
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 — open while the sink runs, closed by stop()
        user = [] if os.getuid() else ["-u", "nobody"]  # it refuses to run as root
        self.process = subprocess.Popen(  # noqa: S603 — a fixed system binary
            [self.BINARY, "-c", *user, f"127.0.0.1:{self.port}", "256"],
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        self.base = 0
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    def _total(self) -> int:
        """Messages accepted since it started: its running counter's last ``mesg=N``."""
        self.output.seek(0)
        found = re.findall(rb"mesg=(\d+)", self.output.read())
        return int(found[-1]) if found else 0

    @property
    def count(self) -> int:
        return self._total() - self.base

    def reset(self) -> None:
        self.base = self._total()

    def cpu_seconds(self) -> float:
        """The sink's own CPU time so far (user + system), to show it is not the limit."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.output.close()


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


def _send(issue) -> tuple[float, int]:
    """Seconds and messages sent: queueing, rendering, SMTP and recording, as the task does."""
    started = time.perf_counter()
    current = sending.start(issue)  # the task runs on commit; here there is no transaction: run it
    progress = sending.run(current.pk)
    return time.perf_counter() - started, progress.sent


def _memory(issue, count: int, port: int) -> dict:
    """Peak RSS and peak traced heap of a fresh process that sends ``issue`` to ``count``."""
    _subscribers(count)
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "bench.newsletter_memory", str(issue.pk), str(port)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'site'}"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if found["sent"] != count:
        raise RuntimeError(f"sent {found['sent']} of {count}")
    return found


def _threads(connections: int, push) -> None:
    threads = [threading.Thread(target=push) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _baseline(port: int, count: int, payload: bytes, connections: int) -> float:
    """The same bytes, ready-made, pushed by smtplib's ``sendmail`` over as many connections as
    the sender uses: the target's baseline."""
    share = count // connections

    def push() -> None:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for number in range(share):
                smtp.sendmail("lettre@cncd.example.org", [f"abonne{number}@example.org"], payload)

    started = time.perf_counter()
    _threads(connections, push)
    return share * connections / (time.perf_counter() - started)


def _wire(port: int, count: int, payload: bytes, connections: int) -> float:
    """The least a client can do for the same transactions over as many connections: commands
    and the dot-stuffed message written ready-made on the socket, each reply only read up to its
    last line. What the pipe takes; no sender can go faster, so the project's ratio to it must
    stay below 1 (a check that the measurement is physical)."""
    share = count // connections
    data = (b"." + payload if payload.startswith(b".") else payload).replace(b"\n.", b"\n..") + b".\r\n"

    def push() -> None:
        with socket.create_connection(("127.0.0.1", port)) as raw:
            reader = raw.makefile("rb")

            def reply() -> int:
                while True:
                    line = reader.readline()
                    if line[3:4] != b"-":
                        return int(line[:3])

            reply()
            raw.sendall(b"EHLO bench\r\n")
            reply()
            for number in range(share):
                raw.sendall(b"MAIL FROM:<lettre@cncd.example.org> SIZE=%d\r\n" % len(payload))
                reply()
                raw.sendall(b"RCPT TO:<abonne%d@example.org>\r\n" % number)
                reply()
                raw.sendall(b"DATA\r\n")
                reply()
                raw.sendall(data)
                if reply() != 250:
                    raise RuntimeError("the sink refused a message")
            raw.sendall(b"QUIT\r\n")
            reply()

    started = time.perf_counter()
    _threads(connections, push)
    return share * connections / (time.perf_counter() - started)


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


SMTP_SETTINGS = {
    "NEWSLETTER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_USE_TLS": False,
    "NEWSLETTER_RATE_PER_SECOND": 0,
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
}


def run() -> list[Row]:
    sink = Sink()
    port = sink.port
    connections = settings.NEWSLETTER_CONNECTIONS
    project: list[float] = []
    raw: list[float] = []
    wire: list[float] = []
    sink_share: list[float] = []
    try:
        with override_settings(EMAIL_PORT=port, **SMTP_SETTINGS):
            _subscribers(SUBSCRIBERS)
            for number in range(1, ROUNDS + 1):
                issue = _issue(number)
                sink.reset()
                cpu = sink.cpu_seconds()
                elapsed, sent = _send(issue)
                sink_share.append((sink.cpu_seconds() - cpu) / elapsed)
                time.sleep(0.5)  # the sink's last count is written
                assert sent == SUBSCRIBERS and sink.count >= SUBSCRIBERS, (sent, sink.count)
                assert Delivery.objects.filter(sending__issue=issue, state="sent").count() == SUBSCRIBERS
                project.append(sent / elapsed)
                payload = _payload(issue)
                raw.append(_baseline(port, SUBSCRIBERS, payload, connections))
                wire.append(_wire(port, SUBSCRIBERS, payload, connections))
            small = _memory(_issue(ROUNDS + 1), SMALL, port)
            large = _memory(_issue(ROUNDS + 2), SUBSCRIBERS, port)
    finally:
        sink.stop()
        Sending.objects.all().delete()

    rate = statistics.median(project)
    ratio = statistics.median(mine / theirs for mine, theirs in zip(project, raw, strict=True))
    to_wire = statistics.median(mine / theirs for mine, theirs in zip(project, wire, strict=True))
    rss_growth = large["peak_rss_mb"] / small["peak_rss_mb"]
    heap_growth = large["peak_heap_mb"] / small["peak_heap_mb"] if small["peak_heap_mb"] else 0
    rounds = " ".join
    return [
        Row(
            f"Newsletter: {SUBSCRIBERS:,} messages over SMTP, end to end (median of {ROUNDS})",
            rate,
            "/s",
            ">= 1000 /s",
            rounds(f"{value:.0f}" for value in project),
            ok=rate >= 1000,
        ),
        Row(
            "Newsletter: raw smtplib sendmail, the same bytes, alternating (baseline)",
            statistics.median(raw),
            "/s",
            "",
            rounds(f"{value:.0f}" for value in raw),
        ),
        Row("Newsletter: project / raw smtplib (median of the rounds)", ratio, "×", ">= 0.9×", "", ok=ratio >= 0.9),
        Row(
            "Newsletter: the wire, the same bytes ready-made on sockets (the pipe)",
            statistics.median(wire),
            "/s",
            "",
            rounds(f"{value:.0f}" for value in wire),
        ),
        Row(
            "Newsletter: project / the wire (a sender cannot pass 1)",
            to_wire,
            "×",
            "< 1× (physical)",
            "",
            ok=to_wire < 1,
        ),
        Row(
            "Newsletter: the SMTP sink's CPU while the project sends",
            100 * statistics.median(sink_share),
            "%",
            "< 80 % of a core",
            "not the limit",
            ok=max(sink_share) < 0.8,
        ),
        Row(f"Newsletter: peak RSS of a process sending to {SMALL:,}", small["peak_rss_mb"], "MB"),
        Row(
            f"Newsletter: peak RSS of a process sending to {SUBSCRIBERS:,}",
            large["peak_rss_mb"],
            "MB",
            "flat (< 1.2× the 2,000 peak)",
            f"{rss_growth:.2f}× the 2,000 peak",
            ok=rss_growth < 1.2,
        ),
        Row(
            f"Newsletter: peak Python heap sending to {SUBSCRIBERS:,} (tracemalloc)",
            large["peak_heap_mb"],
            "MB",
            "flat (< 1.5× the 2,000 peak)",
            f"{heap_growth:.2f}× the 2,000 peak ({small['peak_heap_mb']:.1f} MB)",
            ok=heap_growth < 1.5,
        ),
    ]
