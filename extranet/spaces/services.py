"""The thematic spaces' rules, for the pages, the API, the search, the feeds, the newsletter and
the e-mails alike.

Who may read a space and what is written in it is the padlock of its page
(``atlas_pages.editorial.padlock``): ``readable_spaces`` and ``space_for`` are the only ways in,
and every function below goes through one of them. Who may write: verified members (staff gave
them a group) and moderators, unless suspended from the space. Moderators are staff with the
``extranet.moderate_spaces`` permission (Wagtail's Moderators group has it); each of their acts
is logged in ``ModerationEntry``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from atlas_pages.core import mail
from atlas_pages.core.exceptions import Conflict, Forbidden, NotAuthenticated, NotFound
from atlas_pages.core.links import site_url
from atlas_pages.editorial import padlock
from extranet import notices
from extranet import services as members
from extranet.models import MemberProfile
from extranet.spaces.models import (
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Discussion,
    Following,
    Message,
    ModerationEntry,
    Report,
    SpaceIndexPage,
    SpacePage,
    Suspension,
)

PERMISSION = "extranet.moderate_spaces"


class Suspended(Forbidden):
    default_message = _("You are suspended from this space: you may read it but not write in it.")


class AlreadyReported(Conflict):
    default_message = _("You have already reported this message.")


class MessageHidden(Conflict):
    default_message = _("This message is hidden by the moderators: it cannot be reported or answered.")


# --- who sees, who writes -------------------------------------------------------------------------


def reader(user) -> padlock.Reader:
    return padlock.Reader.of(user)


def readable_spaces(user) -> QuerySet[SpacePage]:
    """The live spaces this user may enter: the padlock of their pages, in one query."""
    return padlock.readable(SpacePage.objects.live(), reader(user))


def _sources(spaces: list[SpacePage]) -> dict[int, int]:
    """Each space's page in the default language, where its discussions are kept: an English
    alias or translation shows the same discussions (one query at most)."""
    default = Locale.get_default()
    found = {
        space.pk: space.alias_of_id or space.pk
        for space in spaces
        if space.alias_of_id or space.locale_id == default.pk
    }
    others = [space for space in spaces if space.pk not in found]
    if others:
        keys = dict(
            SpacePage.objects.filter(
                translation_key__in={space.translation_key for space in others}, locale=default
            ).values_list("translation_key", "pk")
        )
        found.update({space.pk: keys.get(space.translation_key, space.pk) for space in others})
    return found


def space_for(user, space_id: int) -> SpacePage:
    """The space, if the user may enter it: 404 if there is none, else 401 or 403 as the padlock
    says. An alias or translation answers with the page its discussions are kept on."""
    space = SpacePage.objects.live().filter(pk=space_id).first()
    if space is None:
        raise NotFound(_("There is no such space."))
    source = _sources([space])[space.pk]
    if source != space.pk:
        space = SpacePage.objects.live().filter(pk=source).first() or space
    who = reader(user)
    if padlock.is_locked(space, who):
        if not who.is_authenticated:
            raise NotAuthenticated(_("Log in to enter this space."))
        raise Forbidden(_("This space is open to other groups."))
    return space


def visibility(space: SpacePage) -> tuple[str, list[str]]:
    """Who the editors opened the space to: ``public``, ``members`` or ``groups`` (and which)."""
    restrictions = list(padlock.restrictions_of(space).prefetch_related("groups"))
    groups = sorted({group.name for found in restrictions for group in found.groups.all()})
    return ("public" if not restrictions else "groups" if groups else "members"), groups


def may_moderate(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm(PERMISSION)))


def _moderator(user) -> User:
    if not may_moderate(user):
        raise Forbidden(_("Only the moderators of the spaces may do this."))
    return user


def _in_force(space: SpacePage) -> QuerySet[Suspension]:
    """The space's suspensions neither lifted nor over."""
    return Suspension.objects.filter(space=space, lifted_at=None).filter(
        Q(until=None) | Q(until__gte=timezone.localdate())
    )


def suspension_of(user, space: SpacePage) -> Suspension | None:
    if not user.is_authenticated:
        return None
    return _in_force(space).filter(member=user).first()


def _writer(user, space: SpacePage) -> None:
    """Verified members and moderators write; a suspended member does not."""
    if not user.is_authenticated:
        raise NotAuthenticated(_("Log in to write in this space."))
    if not (may_moderate(user) or members.member_groups(user)):
        raise Forbidden(_("Verified members write in the spaces: your registration is not verified yet."))
    suspension = suspension_of(user, space)
    if suspension is not None:
        if suspension.until:
            raise Suspended(
                _("You are suspended from this space until %(date)s: %(reason)s")
                % {"date": suspension.until.strftime("%d/%m/%Y"), "reason": suspension.reason}
            )
        raise Suspended(_("You are suspended from this space: %(reason)s") % {"reason": suspension.reason})


def may_write(user, space: SpacePage) -> bool:
    try:
        _writer(user, space)
    except (Forbidden, NotAuthenticated):
        return False
    return True


def signatures(users: list[User]) -> dict[int, str]:
    """How each of these users signs: their name, and the organisation staff verified (one query)."""
    organisations = dict(
        MemberProfile.objects.filter(user__in=users, status=MemberProfile.Status.APPROVED).values_list(
            "user_id", "organisation"
        )
    )
    signed = {}
    for user in users:
        name = user.get_full_name().strip() or user.get_username()
        organisation = organisations.get(user.pk, "") or ("CNCD" if user.is_staff else "")
        signed[user.pk] = f"{name} ({organisation})" if organisation else name
    return signed


def signature(user: User) -> str:
    """How a message is signed: the member's name, and the organisation staff verified."""
    return signatures([user])[user.pk]


def as_html(text: str) -> str:
    """A message's plain text as HTML: escaped, paragraphs and line breaks kept."""
    return linebreaks(escape(text))


# --- what is checked in what members type ---------------------------------------------------------


def _text(value, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise ValidationError({field: [_("Enter text.")]})
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(max)d characters.") % {"max": limit}]})
    return text


# --- spaces, discussions, messages ----------------------------------------------------------------


@dataclass
class SpaceRow:
    space: SpacePage
    locked: bool
    discussion_count: int = 0
    last_message_at: dt.datetime | None = None
    followed: bool = False


def space_rows(user, index: SpaceIndexPage | None = None, only: SpacePage | None = None) -> list[SpaceRow]:
    """Every live space (or ``only`` that one), with its padlock for this user; counts only for
    those they may enter (two queries)."""
    spaces = SpacePage.objects.live().order_by("path")
    # Under an index, its own spaces (an English alias of the index lists the English aliases);
    # otherwise each space once, in the default language.
    if only is not None:
        spaces = spaces.filter(pk=only.pk)
    elif index is not None:
        spaces = spaces.child_of(index)
    else:
        spaces = spaces.filter(locale=Locale.get_default())
    spaces = list(spaces.annotate(padlocked=padlock.locked_expression(reader(user))))
    sources = _sources(spaces)
    open_ids = []
    rows = []
    for space in spaces:
        rows.append(SpaceRow(space, bool(space.padlocked)))
        if not space.padlocked:
            open_ids.append(sources[space.pk])
    counts = {
        row["space"]: row
        for row in Discussion.objects.filter(space__in=open_ids)
        .order_by()
        .values("space")
        .annotate(count=Count("pk"), last=Max("last_message_at"))
    }
    followed = set()
    if user.is_authenticated:
        followed = set(Following.objects.filter(user=user, space__in=open_ids).values_list("space", flat=True))
    for row in rows:
        found = counts.get(sources[row.space.pk])
        if found and not row.locked:
            row.discussion_count, row.last_message_at = found["count"], found["last"]
        row.followed = not row.locked and sources[row.space.pk] in followed
    return rows


def discussions(user, space_id: int) -> QuerySet[Discussion]:
    """The space's discussions, the latest active first (with who opened them, and whether the user follows)."""
    space = space_for(user, space_id)
    found = Discussion.objects.filter(space=space).select_related("author", "space")
    if user.is_authenticated:
        found = found.annotate(followed=Exists(Following.objects.filter(user=user, discussion=OuterRef("pk"))))
    return found


def discussion_for(user, discussion_id: int) -> Discussion:
    """The discussion, if the user may enter its space (404 for none, 401/403 from the padlock)."""
    found = Discussion.objects.select_related("space", "author").filter(pk=discussion_id).first()
    if found is None:
        raise NotFound(_("There is no such discussion."))
    found.space = space_for(user, found.space_id)
    return found


def messages(user, discussion: Discussion) -> QuerySet[Message]:
    """Its messages, oldest first; a hidden one keeps its place, its text is for the moderators only."""
    return discussion.messages.select_related("author").annotate(
        report_count=Count("reports", filter=Q(reports__handled_at=None))
    )


def first_messages(discussions_: list[Discussion]) -> dict[int, str]:
    """The opening message of each discussion, as anyone may read it (one query; hidden ones left out)."""
    first = Message.objects.filter(discussion=OuterRef("pk"), hidden_at=None).order_by("created_at", "pk")
    rows = Discussion.objects.filter(pk__in=[item.pk for item in discussions_]).annotate(
        first_text=Subquery(first.values("text")[:1])
    )
    return {pk: text or "" for pk, text in rows.values_list("pk", "first_text")}


def shown_text(message: Message, user) -> str:
    """What a reader is shown of a message: hidden ones are for the moderators only."""
    if message.is_hidden and not may_moderate(user):
        return ""
    return message.text


def open_discussion(user, space_id: int, title, text) -> Discussion:
    space = space_for(user, space_id)
    _writer(user, space)
    errors = {}
    try:
        title = _text(title, "title", TITLE_MAX)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        text = _text(text, "text", TEXT_MAX)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        discussion = Discussion.objects.create(
            space=space, title=title, author=user, last_message_at=now, message_count=1
        )
        Message.objects.create(discussion=discussion, author=user, author_name=signature(user), text=text)
        Following.objects.get_or_create(user=user, discussion=discussion)
        _tell_followers(
            Following.objects.filter(space=space),
            user,
            space,
            _("New discussion in “%(space)s”: %(title)s") % {"space": space.title, "title": title},
            text,
            discussion_url(discussion),
        )
    return discussion


def reply(user, discussion_id: int, text) -> Message:
    discussion = discussion_for(user, discussion_id)
    _writer(user, discussion.space)
    text = _text(text, "text", TEXT_MAX)
    with transaction.atomic():
        message = Message.objects.create(discussion=discussion, author=user, author_name=signature(user), text=text)
        Discussion.objects.filter(pk=discussion.pk).update(
            last_message_at=message.created_at, message_count=F("message_count") + 1
        )
        Following.objects.get_or_create(user=user, discussion=discussion)
        _tell_followers(
            Following.objects.filter(discussion=discussion),
            user,
            discussion.space,
            _("New reply in “%(title)s”") % {"title": discussion.title},
            text,
            discussion_url(discussion),
        )
    return message


def message_for(user, message_id: int) -> Message:
    found = Message.objects.select_related("discussion").filter(pk=message_id).first()
    if found is None:
        raise NotFound(_("There is no such message."))
    found.discussion = discussion_for(user, found.discussion_id)
    return found


def discussion_url(discussion: Discussion) -> str:
    return discussion.space.url + discussion.space.reverse_subpage("discussion_view", args=[discussion.pk])


# --- following and notifications ------------------------------------------------------------------


def follow(user, *, space_id: int | None = None, discussion_id: int | None = None, on: bool = True) -> bool:
    """Follows (or stops following) a space or a discussion the user may enter; returns whether followed."""
    if not user.is_authenticated:
        raise NotAuthenticated(_("Log in to follow a space."))
    target: dict[str, Any]
    if space_id is not None:
        target = {"space": space_for(user, space_id)}
    else:
        target = {"discussion": discussion_for(user, discussion_id or 0)}
    if on:
        try:
            with transaction.atomic():
                Following.objects.get_or_create(user=user, **target)
        except IntegrityError:  # followed meanwhile in another request
            pass
    else:
        Following.objects.filter(user=user, **target).delete()
    return on


def follows(user, *, space: SpacePage | None = None, discussion: Discussion | None = None) -> bool:
    """Whether the user follows this space (or this discussion)."""
    if not user.is_authenticated:
        return False
    target = {"space": space} if space is not None else {"discussion": discussion}
    return Following.objects.filter(user=user, **target).exists()


def followings(user) -> QuerySet[Following]:
    """What the member follows (spaces they may no longer enter are left out)."""
    spaces = readable_spaces(user).values("pk")
    return (
        Following.objects.filter(user=user)
        .filter(Q(space__in=spaces) | Q(discussion__space__in=spaces))
        .select_related("space", "discussion__space")
        .order_by("-created_at", "-pk")
    )


def _tell_followers(followings_: QuerySet[Following], author: User, space: SpacePage, subject, text: str, url: str):
    """A notification in the personal space of each follower who may still read the space (the
    author excepted). The weekly digest carries the same news by e-mail."""
    followers = list(
        User.objects.filter(pk__in=followings_.values("user"), is_active=True).exclude(pk=author.pk).distinct()
    )
    if not followers:
        return
    readers = padlock.admitted_users(space, followers)
    excerpt = text if len(text) <= 300 else text[:299] + "…"
    notices.record([user.email for user in readers if user.email], str(subject), excerpt, url)


# --- reports and moderation -----------------------------------------------------------------------


def report(user, message_id: int, reason) -> Report:
    if not user.is_authenticated:
        raise NotAuthenticated(_("Log in to report a message."))
    message = message_for(user, message_id)
    if message.is_hidden:
        raise MessageHidden()
    reason = _text(reason, "reason", REASON_MAX)
    try:
        with transaction.atomic():
            found = Report.objects.create(message=message, reporter=user, reason=reason)
    except IntegrityError as error:
        raise AlreadyReported() from error
    mail.send(
        "extranet/email/space_report",
        User.objects.with_perm(PERMISSION).values_list("email", flat=True),
        context={
            "space": message.discussion.space.title,
            "discussion": message.discussion.title,
            "author": message.author_name,
            "text": message.text,
            "reason": reason,
            "reporter": signature(user),
            "url": site_url(discussion_url(message.discussion) + f"#message-{message.pk}"),
        },
    )
    return found


def _log(moderator: User, space: SpacePage, action: str, **fields) -> ModerationEntry:
    return ModerationEntry.objects.create(
        space=space, moderator=moderator, moderator_name=signature(moderator), action=action, **fields
    )


def _reports_handled(message: Message) -> None:
    message.reports.filter(handled_at=None).update(handled_at=timezone.now())


def set_hidden(user, message_id: int, hidden: bool, reason) -> Message:
    moderator = _moderator(user)
    message = message_for(moderator, message_id)
    reason = _text(reason, "reason", REASON_MAX, required=hidden)
    with transaction.atomic():
        message.hidden_at = timezone.now() if hidden else None
        message.save(update_fields=["hidden_at"])
        _reports_handled(message)
        _log(
            moderator,
            message.discussion.space,
            ModerationEntry.Action.HIDE if hidden else ModerationEntry.Action.SHOW,
            message=message,
            member=message.author,
            member_name=message.author_name,
            reason=reason,
        )
    return message


def edit(user, message_id: int, text, reason) -> Message:
    moderator = _moderator(user)
    message = message_for(moderator, message_id)
    text = _text(text, "text", TEXT_MAX)
    reason = _text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        previous = message.text
        message.text, message.edited_at = text, timezone.now()
        message.save(update_fields=["text", "edited_at"])
        _reports_handled(message)
        _log(
            moderator,
            message.discussion.space,
            ModerationEntry.Action.EDIT,
            message=message,
            member=message.author,
            member_name=message.author_name,
            reason=reason,
            previous_text=previous,
        )
    return message


def dismiss_reports(user, message_id: int, reason) -> Message:
    """The reports on a message are read and the message stays as it is."""
    moderator = _moderator(user)
    message = message_for(moderator, message_id)
    reason = _text(reason, "reason", REASON_MAX, required=False)
    with transaction.atomic():
        _reports_handled(message)
        _log(moderator, message.discussion.space, ModerationEntry.Action.DISMISS, message=message, reason=reason)
    return message


def suspend(user, space_id: int, member_id, reason, until=None) -> Suspension:
    moderator = _moderator(user)
    space = space_for(moderator, space_id)
    member = User.objects.filter(pk=member_id if isinstance(member_id, int) else 0).first()
    if member is None:
        raise ValidationError({"member": [_("Choose a member.")]})
    if member == moderator or may_moderate(member):
        raise ValidationError({"member": [_("A moderator cannot be suspended.")]})
    reason = _text(reason, "reason", REASON_MAX)
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": [_("Give a date to come, or none.")]})
    with transaction.atomic():
        Suspension.objects.filter(space=space, member=member, lifted_at=None).update(lifted_at=timezone.now())
        found = Suspension.objects.create(space=space, member=member, reason=reason, until=until)
        _log(
            moderator,
            space,
            ModerationEntry.Action.SUSPEND,
            member=member,
            member_name=signature(member),
            reason=reason if until is None else f"{reason} ({until.isoformat()})",
        )
    return found


def lift(user, suspension_id: int) -> Suspension:
    moderator = _moderator(user)
    found = Suspension.objects.select_related("member").filter(pk=suspension_id, lifted_at=None).first()
    if found is None:
        raise NotFound(_("There is no such suspension in force."))
    with transaction.atomic():
        found.lifted_at = timezone.now()
        found.save(update_fields=["lifted_at"])
        _log(
            moderator,
            found.space,
            ModerationEntry.Action.LIFT,
            member=found.member,
            member_name=signature(found.member),
        )
    return found


def suspensions(user, space_id: int) -> QuerySet[Suspension]:
    moderator = _moderator(user)
    return _in_force(space_for(moderator, space_id)).select_related("member")


def open_reports(user) -> QuerySet[Report]:
    _moderator(user)
    return Report.objects.filter(handled_at=None).select_related("message__discussion__space", "reporter")


def moderation_log(user) -> QuerySet[ModerationEntry]:
    _moderator(user)
    return ModerationEntry.objects.select_related("space", "message")


# --- the other channels: search, newsletter -------------------------------------------------------


def _readable_discussions(user) -> QuerySet[Discussion]:
    return Discussion.objects.filter(space__in=readable_spaces(user).values("pk"))


def search(user, terms: list[str], limit: int = 20) -> list[Discussion]:
    """Discussions whose title or a shown message has every word, in spaces the user may enter."""
    if not terms:
        return []
    found = _readable_discussions(user)
    for term in terms:
        shown = Message.objects.filter(discussion=OuterRef("pk"), text__icontains=term)
        if not may_moderate(user):
            shown = shown.filter(hidden_at=None)
        found = found.filter(Q(title__icontains=term) | Exists(shown))
    return list(found.select_related("space").order_by("-last_message_at")[:limit])


def latest_discussions(user, limit: int = 4) -> list[Discussion]:
    """The latest active discussions of the spaces this user may enter (one query)."""
    return list(_readable_discussions(user).select_related("space").order_by("-last_message_at")[:limit])


def public_discussions(since: dt.datetime, limit: int = 5) -> list[Discussion]:
    """For the newsletter, sent to anyone: discussions opened since, in spaces open to the public only."""
    return list(
        _readable_discussions(AnonymousUser())
        .filter(created_at__gte=since)
        .filter(Exists(Message.objects.filter(discussion=OuterRef("pk"), hidden_at=None)))
        .select_related("space")
        .order_by("-created_at")[:limit]
    )
