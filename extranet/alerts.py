"""Alerts on an Atlas search: a member follows a search (countries, continents, themes, kinds…
any of the Atlas's filters) and, at most once a week, receives an e-mail listing the projects
added to the Atlas since the last one that match it, and the Bourse-projets entries of its
countries, continent and themes published since.

``manage.py send_search_alerts`` (cron, daily) queues ``send_due_alerts`` for the worker. It reads
the new projects from the search index and the Bourse-projets once for every alert, then sends
each alert that has something new in a transaction of its own that first claims it (the row's
``last_sent_at`` moves only if it is still due): a second run, or a second worker, sends
nothing twice. Each e-mail stops its alert in one click (RFC 8058's List-Unsubscribe-Post).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.pdf import describe_filters, export_title
from atlas_pages.core import mail
from atlas_pages.core.exceptions import Conflict, NotFound
from atlas_pages.core.links import id_from_signed, signed_id, site_url
from atlas_pages.models import BourseProject
from extranet.models import SearchAlert

logger = logging.getLogger(__name__)

#: At most one e-mail per alert in this time.
EVERY = dt.timedelta(days=7)
#: An e-mail lists this many projects at most, then links to the search.
LISTED = 30
#: Alerts a member may keep.
MAX_ALERTS = 20
STOP_SALT = "cncd.alert.stop"


def alerts(user: User) -> QuerySet[SearchAlert]:
    return SearchAlert.objects.filter(owner=user)


def alert(user: User, alert_id: int) -> SearchAlert:
    found = SearchAlert.objects.filter(owner=user, pk=alert_id).first()
    if found is None:
        raise NotFound()  # someone else's alert is not found either
    return found


def create(user: User, query: str, *, bourse: bool = True, title: str = "") -> SearchAlert:
    """Follows the search ``query`` (checked: a bad filter is named); what the Atlas holds today
    is not new: the first e-mail lists what comes after."""
    cleaned = atlas_search.clean_query(query or "")
    if alerts(user).count() >= MAX_ALERTS:
        raise Conflict(_("You follow %(max)s searches already: delete one first.") % {"max": MAX_ALERTS})
    title = (title or "").strip()[:255] or export_title(QueryDict(cleaned))
    index = atlas_index.current()
    return SearchAlert.objects.create(
        owner=user,
        title=title,
        query=cleaned,
        bourse=bourse,
        last_project_id=int(index.pk.max()) if index.size else 0,
        bourse_told=sorted(_bourse_matching(cleaned, _published_bourse())),
    )


def set_active(user: User, alert_id: int, active: bool) -> SearchAlert:
    found = alert(user, alert_id)
    found.active = active
    found.save(update_fields=["active"])
    return found


def delete(user: User, alert_id: int) -> None:
    alert(user, alert_id).delete()


def filters_of(item: SearchAlert) -> list[tuple[str, str]]:
    return describe_filters(QueryDict(item.query))


# --- stopping from the e-mail -----------------------------------------------------------------


def stop_token(item: SearchAlert) -> str:
    return signed_id(item.pk, STOP_SALT)


def by_token(token: str) -> SearchAlert:
    pk = id_from_signed(token, STOP_SALT)
    found = SearchAlert.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This alert no longer exists."))
    return found


def stop(token: str) -> SearchAlert:
    """The e-mail's “stop this alert”: no login needed, the signed link is the proof."""
    found = by_token(token)
    if found.active:
        found.active = False
        found.save(update_fields=["active"])
    return found


# --- the weekly digest ------------------------------------------------------------------------


@dataclass
class _Bourse:
    pk: int
    country: str
    continent: str
    theme: str


@dataclass
class Digest:
    alert: SearchAlert
    project_ids: list[int] = field(default_factory=list)  # new, oldest first
    bourse_ids: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.project_ids and not self.bourse_ids


def _published_bourse() -> list[_Bourse]:
    return [
        _Bourse(*row)
        for row in BourseProject.objects.filter(moderation=BourseProject.Moderation.PUBLISHED).values_list(
            "pk", "country__iso2", "country__continent__slug", "theme__slug"
        )
    ]


def _bourse_matching(query: str, entries: list[_Bourse]) -> set[int]:
    """The Bourse-projets entries of the search's countries, continent and themes (its other
    filters are the projects' own)."""
    params = QueryDict(query)
    wanted = {"country": params.getlist("country"), "continent": params.getlist("continent")}
    wanted["theme"] = params.getlist("theme")
    return {
        entry.pk
        for entry in entries
        if all(not values or getattr(entry, name) in values for name, values in wanted.items())
    }


def due(now: dt.datetime | None = None) -> QuerySet[SearchAlert]:
    """Active alerts whose last e-mail is a week old or more (or that never sent one), of
    members whose account is active."""
    now = now or timezone.now()
    return SearchAlert.objects.filter(active=True, owner__is_active=True).filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - EVERY)
    )


def digests(items: list[SearchAlert]) -> list[Digest]:
    """What is new for each alert: a pass over the index each, the Bourse-projets read once."""
    index = atlas_index.current()
    entries = _published_bourse() if any(item.bourse for item in items) else []
    found = []
    for item in items:
        try:
            mask = atlas_search.find(QueryDict(item.query)).mask & (index.pk > item.last_project_id)
        except ValidationError:  # a filter the Atlas no longer knows: the others' e-mails still go
            logger.warning("Search alert %s has filters the Atlas refuses: %s", item.pk, item.query)
            continue
        told = set(item.bourse_told)
        bourse = sorted(_bourse_matching(item.query, entries) - told) if item.bourse else []
        found.append(Digest(item, index.pk[mask].tolist(), bourse))
    return found


def send_due(now: dt.datetime | None = None) -> int:
    """Sends every due alert that has something new; returns how many e-mails were queued."""
    now = now or timezone.now()
    items = list(due(now).select_related("owner"))
    sent = 0
    for digest in digests(items):
        if digest.empty or not digest.alert.owner.email:
            continue
        if _send(digest, now):
            sent += 1
    return sent


def _send(digest: Digest, now: dt.datetime) -> bool:
    item = digest.alert
    with transaction.atomic():
        claimed = (
            due(now)
            .filter(pk=item.pk, last_sent_at=item.last_sent_at)
            .update(
                last_sent_at=now,
                last_project_id=max([item.last_project_id, *digest.project_ids]),
                bourse_told=sorted(set(item.bourse_told) | set(digest.bourse_ids)),
            )
        )
        if not claimed:  # sent meanwhile by another run, stopped, or deleted
            return False
        stop_url = site_url(reverse("extranet:stop_alert", args=[stop_token(item)]))
        mail.send(
            "extranet/email/search_alert",
            [item.owner.email],
            context={"stop_url": stop_url},
            context_from="extranet.alerts.digest_context",
            context_args={
                "alert_id": item.pk,
                "project_ids": digest.project_ids,
                "bourse_ids": digest.bourse_ids,
                "stop_url": stop_url,
            },
            keep_notice=True,
        )
    return True


def digest_context(alert_id: int, project_ids: list[int], bourse_ids: list[int], stop_url: str) -> dict:
    """The e-mail, read when it is sent: the alert, its new projects (the first ``LISTED``) and
    Bourse-projets entries, and the one-click stop in the headers."""
    item = SearchAlert.objects.select_related("owner").get(pk=alert_id)
    atlas_url = _atlas_url()
    projects = atlas_search.summary_rows(project_ids[:LISTED])
    for row in projects:
        row["url"] = site_url(f"{atlas_url}projet/{row['id']}/") if atlas_url else ""
    entries = list(
        BourseProject.objects.filter(pk__in=bourse_ids, moderation=BourseProject.Moderation.PUBLISHED)
        .select_related("country", "partner_authority")
        .order_by("pk")
    )
    return {
        "alert": item,
        "user": item.owner,
        "filters": filters_of(item),
        "projects": projects,
        "project_count": len(project_ids),
        "more": max(0, len(project_ids) - LISTED),
        "entries": entries,
        "search_url": site_url(f"{atlas_url}?{item.query}") if atlas_url else "",
        "bourse_url": site_url(f"{atlas_url}bourse-projets/") if atlas_url else "",
        "alerts_url": site_url(reverse("extranet:alerts")),
        "stop_url": stop_url,
        "url": reverse("extranet:alerts"),
        "headers": mail.one_click_stop(stop_url),
    }


def _atlas_url() -> str:
    from extranet.albums import atlas_url

    return atlas_url()
