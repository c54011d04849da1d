"""A fresh process that sends one issue to the subscribers in the benchmark's database, then
prints its peak RSS (the operating system's figure, ``ru_maxrss``) and the peak of the Python
heap (tracemalloc) as one JSON line. Called by bench_newsletter.py: python -m
bench.newsletter_memory ISSUE_ID SMTP_PORT."""

import json
import os
import resource
import sys
import tracemalloc

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.test.utils import override_settings  # noqa: E402

from bench.bench_newsletter import SMTP_SETTINGS  # noqa: E402
from newsletter import sending  # noqa: E402
from newsletter.models import NewsletterIssuePage  # noqa: E402


def main(issue_id: int, port: int) -> None:
    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    with override_settings(EMAIL_PORT=port, **SMTP_SETTINGS):
        tracemalloc.start()
        current = sending.start(issue)
        progress = sending.run(current.pk)
        heap = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"sent": progress.sent, "peak_rss_mb": rss_kb / 1024, "peak_heap_mb": heap / 1e6}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
