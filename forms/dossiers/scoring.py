"""The scored review of a call's dossiers: the call's grid (criteria, each with a weight and a
scale, set by editors in the Wagtail admin), one review per reviewer and dossier, and the
ranking of the call's dossiers against its envelope.

Reviewers are staff, and the members of the bodies the call invites who see the dossier (the
embassy of the partner country, the prefecture of the authority's region, the ministries).

Blind until one's own score: a reviewer reads another reviewer's score, and the average, the
spread and the ranking that come from them, only once they have given their own on that dossier,
or once the dossier is decided (staff). This is decided here, for the API, the pages, the back
office and the exports alike. The authority never reads any score.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, pstdev
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from atlas_pages.core.exceptions import Conflict, Forbidden
from forms import history
from forms.dossiers.models import CallForProjectsPage, Dossier, Review, ReviewCriterion, ReviewScore
from forms.dossiers.permissions import speaks_for, visible
from forms.permissions import Viewer

STAFF = "staff"
SCOREABLE = (Dossier.State.FILED, Dossier.State.UNDER_REVIEW, Dossier.State.CORRECTION)
OUT_OF = Decimal(20)
COMMENT_LIMIT = 5000


class ReviewClosed(Conflict):
    default_message = _("The dossier has been decided: its review is closed.")


def grid(call: CallForProjectsPage) -> list[ReviewCriterion]:
    return list(call.criteria.all())


def reviewer_as(user: User, dossier: Dossier) -> str:
    """For whom the user scores this dossier (its call has a grid): ``staff``, an invited body
    they speak for on it, or "" when they do not review it."""
    if not user.is_authenticated:
        return ""
    if user.is_staff:
        return STAFF
    viewer = Viewer.of(user)
    for body in dossier.call.review_bodies.values_list("body", flat=True):
        if speaks_for(viewer, body, dossier):
            return body
    return ""


def total(criteria: list[ReviewCriterion], scores: dict[int, int]) -> Decimal:
    """The weighted score out of 20: each criterion's share of its scale, by its weight."""
    weights = sum(item.weight for item in criteria)
    earned = sum(Decimal(scores[item.pk]) / item.scale * item.weight for item in criteria)
    return (earned / weights * OUT_OF).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _checked(criteria: list[ReviewCriterion], given: dict[Any, Any]) -> dict[int, int]:
    """Every criterion scored, each a whole number from 0 to its scale, named ``scores.<id>``."""
    errors: dict[str, list] = {}
    known = {str(item.pk): item for item in criteria}
    for key in given:
        if str(key) not in known:
            errors[f"scores.{str(key)[:20]}"] = [_("This criterion is not in the call's grid.")]
    scores = {}
    for key, criterion in known.items():
        value = given.get(key, given.get(criterion.pk))
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if value is None or value == "":
            errors[f"scores.{key}"] = [_("Give this criterion a score.")]
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= criterion.scale:
            errors[f"scores.{key}"] = [
                _("Give a whole number from 0 to %(scale)d.") % {"scale": criterion.scale},
            ]
        else:
            scores[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    return scores


@transaction.atomic
def give(user: User, dossier_id: int, given: dict[Any, Any], comment: str = "") -> Review:
    """The reviewer's scores (criterion id → score) and comment: their review, given or changed
    until the decision."""
    from forms.dossiers import services

    current = services.dossier(user, dossier_id)
    criteria = grid(current.call)
    if not criteria:
        raise Forbidden(_("This call has no review grid."))
    body = reviewer_as(user, current)
    if not body:
        raise Forbidden(_("Staff and the bodies the call invites score its dossiers."))
    if current.state not in SCOREABLE:
        if current.is_decided:
            raise ReviewClosed()
        raise Conflict(_("A dossier is scored once it has been filed."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError({"comment": [_("At most %(max)d characters.") % {"max": COMMENT_LIMIT}]})
    scores = _checked(criteria, given or {})
    services.lock(current)
    review, created = Review.objects.update_or_create(
        dossier=current,
        reviewer=user,
        defaults={
            "reviewer_name": history.actor_name(user),
            "body": body,
            "comment": comment,
            "total": total(criteria, scores),
            "given_at": timezone.now(),
        },
    )
    review.scores.all().delete()
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion_id=pk, score=score) for pk, score in scores.items()]
    )
    # In the history without the score: staff who have not scored yet read the history.
    history.record(current, user, "scored" if created else "score_changed", {"for": body}, confidential=True)
    return review


# --- who reads which scores ----------------------------------------------------------------------


def may_read_all(user: User, dossier: Dossier, reviewed: bool) -> bool:
    """Others' scores on the dossier: after one's own, or for staff once the dossier is decided."""
    return reviewed or bool(user.is_staff and dossier.is_decided)


def rounded(value: float) -> Decimal:
    """A score to the hundredth, halves up (13.665 → 13.67, as people round)."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shown(value: float) -> str:
    """A score as the reader's language writes it (“13,67” in French)."""
    return number_format(rounded(value), decimal_pos=2, use_l10n=True)


@dataclass
class Summary:
    count: int
    average: Decimal | None
    spread: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


def summary(totals: list[Decimal]) -> Summary:
    """The average of the reviewers' scores and their spread (standard deviation), out of 20."""
    if not totals:
        return Summary(0, None, None, None, None)
    values = [float(item) for item in totals]
    return Summary(
        count=len(values),
        average=rounded(fmean(values)),
        spread=rounded(pstdev(values)),
        lowest=min(totals),
        highest=max(totals),
    )


@dataclass
class Sheet:
    """What a user reads of a dossier's review: the grid, whether and for whom they score, their
    own review, and — once they may — the others' and the summary."""

    criteria: list[ReviewCriterion]
    reviewer_as: str
    can_score: bool
    own: Review | None
    own_scores: dict[int, int]
    others: list[Review] | None
    summary: Summary | None
    hidden_count: int


def sheet(user: User, dossier: Dossier) -> Sheet | None:
    """None for those who take no part in the review (the authority among them)."""
    criteria = grid(dossier.call)
    if not criteria:
        return None
    body = reviewer_as(user, dossier)
    if not body:
        return None
    reviews = list(dossier.reviews.prefetch_related("scores"))
    own = next((item for item in reviews if item.reviewer_id == user.pk), None)
    readable = may_read_all(user, dossier, own is not None)
    others = [item for item in reviews if item is not own]
    return Sheet(
        criteria=criteria,
        reviewer_as=body,
        can_score=dossier.state in SCOREABLE,
        own=own,
        own_scores={score.criterion_id: score.score for score in own.scores.all()} if own else {},
        others=others if readable else None,
        summary=summary([item.total for item in reviews]) if readable else None,
        hidden_count=0 if readable else len(others),
    )


def readable_totals(user: User, dossiers: list[Dossier]) -> dict[int, list[Decimal]]:
    """For a listing: each dossier's reviewers' scores, for the dossiers whose scores the user may
    read (one query)."""
    by_id = {item.pk: item for item in dossiers}
    rows = Review.objects.filter(dossier_id__in=list(by_id)).values_list("dossier_id", "reviewer_id", "total")
    totals: dict[int, list[Decimal]] = {}
    reviewed: set[int] = set()
    for dossier_id, reviewer_id, score in rows:
        totals.setdefault(dossier_id, []).append(score)
        if reviewer_id == user.pk:
            reviewed.add(dossier_id)
    return {pk: values for pk, values in totals.items() if may_read_all(user, by_id[pk], pk in reviewed)}


def summaries(user: User, dossiers: list[Dossier]) -> dict[int, Summary]:
    """Each listed dossier's summary the user may read (the others are left out)."""
    return {pk: summary(values) for pk, values in readable_totals(user, dossiers).items()}


# --- the ranking of a call -----------------------------------------------------------------------


@dataclass
class Rank:
    dossier: Dossier
    summary: Summary
    requested: Decimal
    cumulated: Decimal
    within_envelope: bool
    rank: int


RANKED = (*SCOREABLE, Dossier.State.ACCEPTED, Dossier.State.REFUSED)


def ranking(user: User, call: CallForProjectsPage) -> tuple[list[Rank], int]:
    """The call's scored dossiers (staff), best average first, each with the amount requested
    and the running total against the call's envelope; a dossier the user may not read the
    scores of yet is left out and counted (the second value)."""
    from forms.dossiers.services import requested_amounts

    if not user.is_staff:
        raise Forbidden(_("The ranking of a call is for the CNCD team."))
    dossiers = list(
        visible(Viewer.of(user))
        .filter(call=call, state__in=RANKED)
        .select_related("authority", "partner_country", "call")
    )
    readable = summaries(user, dossiers)
    scored = set(Review.objects.filter(dossier__in=dossiers).values_list("dossier_id", flat=True))
    requested = requested_amounts([item.pk for item in dossiers])
    chosen = sorted(
        (item for item in dossiers if item.pk in readable),
        key=lambda item: (-(readable[item.pk].average or 0), -(readable[item.pk].count), item.pk),
    )
    ranks, cumulated = [], Decimal(0)
    for number, item in enumerate(chosen, start=1):
        amount = requested.get(item.pk, Decimal(0))
        cumulated += amount
        ranks.append(
            Rank(
                dossier=item,
                summary=readable[item.pk],
                requested=amount,
                cumulated=cumulated,
                within_envelope=cumulated <= call.budget_envelope,
                rank=number,
            )
        )
    return ranks, len(scored - set(readable))
