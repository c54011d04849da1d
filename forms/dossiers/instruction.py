"""The instructors' tools on a dossier (what démarches-simplifiées' instructors ask for most):

- **private notes**: staff write and read them; they never reach the authority, the bodies asked
  for an opinion, the PDF, the exports or the personal-data download. The history records that
  a note was written (an entry for staff only), not what it says;
- **assignment**: a dossier is given to one instructor (a staff account), or to nobody;
- **following**: whoever may see a dossier may follow it, and is then told by e-mail of every
  entry of its history they may read (staff of every entry), except their own doings;
- **labels**: staff define them in the back office and put them on dossiers;
- **archiving**: a decided dossier is archived by staff, and leaves the staff's listings (a
  filter shows the archive); the authority and the bodies still see it.

Listings filter on "mine" (assigned to me), "unassigned", "followed", a label and the archive
(``narrowed``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.auth import Caller
from atlas_pages.core.exceptions import Forbidden
from forms import history
from forms.dossiers import notifications
from forms.dossiers.models import Dossier, DossierEvent, DossierLabel, DossierNote
from forms.dossiers.permissions import visible
from forms.dossiers.services import WrongState, dossier, lock
from forms.permissions import Viewer

#: The listings' "suivi" filter in the pages and the back office: (assigned, followed) for ``narrowed``.
MINE = {"attribues": ("me", False), "sans-instructeur": ("none", False), "suivis": ("", True)}


def _staff_only(user: User) -> None:
    if not user.is_staff:
        raise Forbidden(_("Only the CNCD team reads and writes the instructors' notes and assigns dossiers."))


# --- private notes ------------------------------------------------------------------------------


def notes(user: User, dossier_id: int) -> list[DossierNote]:
    current = dossier(user, dossier_id)  # 404 for whoever does not see the dossier
    _staff_only(user)
    return list(current.notes.all())


@transaction.atomic
def add_note(user: User, dossier_id: int, text: str) -> DossierNote:
    current = dossier(user, dossier_id)
    _staff_only(user)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > DossierNote.TEXT_LIMIT:
        raise ValidationError({"text": [_("At most %(max)d characters.") % {"max": DossierNote.TEXT_LIMIT}]})
    lock(current)
    note = DossierNote.objects.create(dossier=current, author=user, author_name=history.actor_name(user), text=text)
    history.record(current, user, "note_added", {}, confidential=True)
    return note


# --- assignment ---------------------------------------------------------------------------------


def instructors() -> QuerySet[User]:
    """Whom a dossier may be assigned to: the active staff accounts."""
    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("first_name", "last_name", "pk")


@transaction.atomic
def assign(user: User, dossier_id: int, instructor_id: int | None) -> Dossier:
    """Gives the dossier to ``instructor_id`` (a staff account), or to nobody with ``None``; the
    instructor follows it from then on."""
    current = dossier(user, dossier_id)
    _staff_only(user)
    instructor = None
    if instructor_id is not None:
        instructor = instructors().filter(pk=instructor_id).first()
        if instructor is None:
            raise ValidationError({"instructor_id": [_("Choose a member of the CNCD team.")]})
    if current.assigned_to_id == (instructor.pk if instructor else None):
        return current
    lock(current)
    Dossier.objects.filter(pk=current.pk).update(assigned_to=instructor)
    current.assigned_to = instructor
    if instructor is not None:
        current.followers.add(instructor)
    history.record(
        current,
        user,
        "assigned",
        {"instructor": history.actor_name(instructor) if instructor else ""},
        confidential=True,
    )
    return current


# --- following ----------------------------------------------------------------------------------


def follow(user: User, dossier_id: int, following: bool) -> bool:
    """Starts or stops following a dossier the user may see; returns whether they follow it."""
    current = dossier(user, dossier_id)
    if following:
        current.followers.add(user)
    else:
        current.followers.remove(user)
    return following


def follows(user: Caller, current: Dossier) -> bool:
    return user.is_authenticated and current.followers.filter(pk=user.pk).exists()


def tell_followers(current: Dossier, event: DossierEvent) -> None:
    """Each follower who may read the entry (staff: every one; others: those not kept for staff,
    and only while they still see the dossier), except its author, is told of it."""
    followers = list(current.followers.filter(is_active=True).exclude(pk=event.actor_id or 0))
    recipients = []
    for follower in followers:  # a handful per dossier; each one's rights read as they are now
        if follower.is_staff or (
            not event.confidential and visible(Viewer.of(follower)).filter(pk=current.pk).exists()
        ):
            recipients.append(follower.email)
    notifications.followed_change(current, event, recipients)


# --- labels and archive -------------------------------------------------------------------------


@transaction.atomic
def set_labels(user: User, dossier_id: int, label_ids: list[int]) -> Dossier:
    """The dossier's labels become ``label_ids`` (labels staff defined; an unknown one is named)."""
    current = dossier(user, dossier_id)
    _staff_only(user)
    chosen = list(DossierLabel.objects.filter(pk__in=set(label_ids)))
    unknown = set(label_ids) - {label.pk for label in chosen}
    if unknown:
        raise ValidationError({"labels": [_("Choose labels from the list.")]})
    if {label.pk for label in chosen} == set(current.labels.values_list("pk", flat=True)):
        return current
    lock(current)
    current.labels.set(chosen)
    history.record(current, user, "labelled", {"labels": sorted(label.name for label in chosen)}, confidential=True)
    return current


@transaction.atomic
def archive(user: User, dossier_id: int, archived: bool) -> Dossier:
    """Archives a decided dossier (or takes it out of the archive)."""
    current = dossier(user, dossier_id)
    _staff_only(user)
    if archived and not current.is_decided:
        raise WrongState(_("Only a decided dossier is archived."))
    if bool(current.archived_at) == archived:
        return current
    lock(current)
    current.archived_at = timezone.now() if archived else None
    Dossier.objects.filter(pk=current.pk).update(archived_at=current.archived_at)
    history.record(current, user, "archived" if archived else "unarchived", confidential=True)
    return current


# --- listings -----------------------------------------------------------------------------------


def narrowed(
    user: User,
    queryset: QuerySet[Dossier],
    assigned: str = "",
    followed: bool = False,
    label: int | str | None = None,
    archived: bool | None = None,
) -> QuerySet[Dossier]:
    """The listing of ``user`` narrowed to the dossiers assigned to them (``assigned="me"``), to
    none (``"none"``), to those they follow, to one label, and in (``archived=True``) or out of
    the archive; staff's listings leave the archive out unless asked. An unknown value is named."""
    if assigned == "me":
        queryset = queryset.filter(assigned_to_id=user.pk)
    elif assigned == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif assigned:
        raise ValidationError({"assigned": [_("Choose “me” or “none”.")]})
    if followed:
        queryset = queryset.filter(followers=user)
    if label not in (None, ""):
        if not str(label).isdigit() or not DossierLabel.objects.filter(pk=int(label)).exists():
            raise ValidationError({"label": [_("Choose labels from the list.")]})
        queryset = queryset.filter(labels=int(label))
    if archived is None and user.is_staff:
        archived = False
    if archived is not None:
        queryset = queryset.filter(archived_at__isnull=not archived)
    return queryset


def labels() -> list[DossierLabel]:
    return list(DossierLabel.objects.all())
