"""/api/pages/?limit=20 under the padlock, against Wagtail's stock /api/v2/pages/.

Stock first, at its own scale (200 pages, 100 padlocked): both APIs on the same data, and the
ratio. Then ours at 10,000 article pages of which 5,000 are padlocked, mixing per-page login
and group restrictions and a section-level group restriction.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from atlas_pages.models import ArticlePage, EditorialPage, RubricIndexPage
from bench.common import Row, p50, p95, timed_requests
from tests.factories import MemberFactory, add_rubric

RUNS = 60


def bulk_articles(rubric: RubricIndexPage, count: int, prefix: str) -> list[int]:
    """Creates `count` live article pages under the rubric quickly (tree paths computed here)."""
    rubric.refresh_from_db()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    start = rubric.numchild
    now = timezone.now()
    pages = []
    for offset in range(count):
        number = start + offset + 1
        slug = f"{prefix}-{number}"
        pages.append(
            Page(
                title=f"{prefix.title()} {number}",
                draft_title=f"{prefix.title()} {number}",
                slug=slug,
                content_type=content_type,
                path=rubric.path + Page._int2str(number).rjust(Page.steplen, "0"),
                depth=rubric.depth + 1,
                numchild=0,
                url_path=f"{rubric.url_path}{slug}/",
                live=True,
                first_published_at=now - dt.timedelta(minutes=number),
                last_published_at=now - dt.timedelta(minutes=number),
                locale_id=rubric.locale_id,
            )
        )
    with transaction.atomic():
        created = Page.objects.bulk_create(pages, batch_size=500)
        ids = [page.pk for page in Page.objects.filter(path__in=[p.path for p in created]).order_by("path")]
        for number, page_id in enumerate(ids):
            editorial = EditorialPage(
                page_ptr_id=page_id,
                date=dt.date(2026, 1 + number % 12, 1 + number % 28),
                teaser=f"Chapô de l'article {number}",
                body=[("paragraph", f"<p>Corps {number}</p>")],
            )
            editorial.save_base(raw=True, force_insert=True)
            ArticlePage(editorialpage_ptr_id=page_id, page_ptr_id=page_id).save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=rubric.pk).update(numchild=start + count)
    return ids


def padlock_each(page_ids: list[int], kind: str, groups: list[Group]) -> None:
    restrictions = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page_id=page_id, restriction_type=kind) for page_id in page_ids], batch_size=500
    )
    if kind == PageViewRestriction.GROUPS:
        through = PageViewRestriction.groups.through
        through.objects.bulk_create(
            [
                through(pageviewrestriction_id=restriction.pk, group_id=groups[index % len(groups)].pk)
                for index, restriction in enumerate(restrictions)
            ],
            batch_size=500,
        )


def clients() -> dict[str, Client]:
    member = MemberFactory(username="bench-member", groups=["collectivites"])
    staff = MemberFactory(username="bench-staff", is_staff=True)
    result = {"anonymous": Client()}
    for name, user in (("member", member), ("staff", staff)):
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


def run() -> list[Row]:
    groups = list(Group.objects.filter(actor_group__isnull=False).order_by("actor_group__position"))
    readers = clients()
    params = {"limit": 20}
    rows: list[Row] = []

    # Stock-sized case: 200 pages, 100 padlocked (half login, half group).
    news = add_rubric("Actualités")
    ids = bulk_articles(news, 200, "article")
    padlock_each(ids[:50], PageViewRestriction.LOGIN, groups)
    padlock_each(ids[50:100], PageViewRestriction.GROUPS, groups)

    stock = timed_requests(readers["anonymous"], "/api/v2/pages/", params, RUNS)
    ours_small = timed_requests(readers["anonymous"], "/api/pages/", params, RUNS)
    ratio = p50(stock) / p50(ours_small)
    rows.append(Row("stock /api/v2/pages/ p50, 200 pages / 100 padlocked", p50(stock), "ms"))
    rows.append(
        Row(
            "ours /api/pages/ p50, 200 pages / 100 padlocked",
            p50(ours_small),
            "ms",
            target="≥ 10× faster than stock",
            ratio=f"{ratio:.1f}× faster",
            ok=ratio >= 10,
        )
    )

    # Full scale: 10,000 articles, 5,000 padlocked: 100 above, 3,400 more one by one (login or
    # group), and a section of 1,500 under a single group restriction.
    more = bulk_articles(news, 8_300, "article")
    padlock_each(more[:1_700], PageViewRestriction.LOGIN, groups)
    padlock_each(more[1_700:3_400], PageViewRestriction.GROUPS, groups)
    section = add_rubric("Réservé", slug="reserve")
    bulk_articles(section, 1_500, "note")
    padlock_each([section.pk], PageViewRestriction.GROUPS, groups[:1])
    total = ArticlePage.objects.count()
    restrictions = PageViewRestriction.objects.count()
    assert total == 10_000, total
    scale = f"{total:,} pages / 5,000 padlocked ({restrictions:,} restrictions)"

    for reader, client in readers.items():
        timings = timed_requests(client, "/api/pages/", params, RUNS)
        rows.append(
            Row(
                f"ours /api/pages/?limit=20 p50, {reader}, {scale}",
                p50(timings),
                "ms",
                target="p50 < 25 ms",
                ok=p50(timings) < 25,
            )
        )
        rows.append(Row(f"ours /api/pages/?limit=20 p95, {reader}", p95(timings), "ms"))
    return rows
