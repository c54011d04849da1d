"""The thematic spaces in the API: spaces, discussions and messages as the padlock of each space
lets the caller read them (401 anonymous, 403 another group), writing for verified members,
following, reports, and the moderators' acts, suspensions and log. Texts are plain: ``text`` as
typed, ``html`` escaped and ready to show."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from atlas_pages.core import throttle
from atlas_pages.core.auth import any_caller, member, member_auth
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from extranet.spaces import digest, services
from extranet.spaces.models import REASON_MAX, TEXT_MAX, TITLE_MAX, Discussion, Message

router = Router(tags=["spaces"])


class SpaceOut(Schema):
    id: int
    title: str
    url: str
    teaser: str
    locked: bool = Field(description="The caller may not enter it (its discussions are not given)")
    discussion_count: int | None
    last_message_at: datetime | None
    followed: bool


class SpaceListOut(Schema):
    count: int
    items: list[SpaceOut]


class SpaceDetailOut(SpaceOut):
    visibility: str = Field(description="public, members or groups")
    groups: list[str] = Field(description="With visibility “groups”: the groups admitted")
    rules: str = Field(description="HTML written by the editors")
    may_write: bool
    suspended_until: date | None = Field(None, description="The caller's suspension from the space, if any")
    suspended: bool


class DiscussionOut(Schema):
    id: int
    space_id: int
    title: str
    url: str
    opened_by: str
    created_at: datetime
    last_message_at: datetime
    message_count: int
    followed: bool


class DiscussionListOut(Schema):
    count: int
    items: list[DiscussionOut]


class MessageOut(Schema):
    id: int
    author_name: str
    author_id: int | None = Field(description="Given to the moderators only")
    created_at: datetime
    edited_by_moderators: bool
    hidden: bool
    text: str = Field(description="Plain text as typed (empty when hidden, but for the moderators)")
    html: str = Field(description="The text escaped, paragraphs kept: safe to insert as HTML")
    open_reports: int | None = Field(description="Given to the moderators only")


class DiscussionDetailOut(DiscussionOut):
    count: int = Field(description="Messages in all")
    messages: list[MessageOut]


class DiscussionIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX)
    text: str = Field(max_length=TEXT_MAX)


class MessageIn(InputSchema):
    text: str = Field(max_length=TEXT_MAX)


class ReportIn(InputSchema):
    reason: str = Field(max_length=REASON_MAX)


class ReportOut(Schema):
    id: int
    message_id: int
    discussion_id: int
    space_id: int
    message_text: str
    author_name: str
    reason: str
    reported_by: str
    created_at: datetime


class ModerationIn(InputSchema):
    action: Literal["hide", "show", "edit", "dismiss"]
    reason: str = Field("", max_length=REASON_MAX)
    text: str = Field("", max_length=TEXT_MAX, description="With “edit”: the new text")


class SuspensionIn(InputSchema):
    member: int = Field(ge=1, le=2_147_483_647, description="The member's id (``author_id`` of their messages)")
    reason: str = Field(max_length=REASON_MAX)
    until: date | None = Field(None, description="Empty: until lifted")


class SuspensionOut(Schema):
    id: int
    space_id: int
    member_id: int
    member_name: str
    reason: str
    until: date | None
    created_at: datetime


class ModerationEntryOut(Schema):
    id: int
    space_id: int
    space: str
    action: str
    action_label: str
    moderator: str
    message_id: int | None
    member: str
    reason: str
    previous_text: str
    created_at: datetime


class FollowOut(Schema):
    followed: bool


class FollowingOut(Schema):
    id: int
    space_id: int | None
    discussion_id: int | None
    title: str
    url: str
    created_at: datetime


class FollowingListOut(Schema):
    weekly_email: bool
    items: list[FollowingOut]


class DigestIn(InputSchema):
    weekly_email: bool


def _space_out(row: services.SpaceRow) -> dict:
    return {
        "id": row.space.pk,
        "title": row.space.title,
        "url": row.space.url,
        "teaser": row.space.teaser,
        "locked": row.locked,
        "discussion_count": None if row.locked else row.discussion_count,
        "last_message_at": None if row.locked else row.last_message_at,
        "followed": row.followed,
    }


def _discussion_out(item: Discussion, followed: bool | None = None) -> dict:
    author = item.author
    return {
        "id": item.pk,
        "space_id": item.space_id,
        "title": item.title,
        "url": services.discussion_url(item),
        "opened_by": (author.get_full_name() or author.get_username()) if author else "",
        "created_at": item.created_at,
        "last_message_at": item.last_message_at,
        "message_count": item.message_count,
        "followed": bool(getattr(item, "followed", False)) if followed is None else followed,
    }


def _message_out(item: Message, user, moderator: bool, reports: int | None = None) -> dict:
    text = services.shown_text(item, user)
    return {
        "id": item.pk,
        "author_name": item.author_name,
        "author_id": item.author_id if moderator else None,
        "created_at": item.created_at,
        "edited_by_moderators": item.edited_at is not None,
        "hidden": item.is_hidden,
        "text": text,
        "html": services.as_html(text) if text else "",
        "open_reports": (getattr(item, "report_count", 0) if reports is None else reports) if moderator else None,
    }


@router.get("/spaces/", response=SpaceListOut, summary="The thematic spaces (padlocked ones flagged)", auth=any_caller)
def list_spaces(request: HttpRequest):
    rows = services.space_rows(request.user)
    return {"count": len(rows), "items": [_space_out(row) for row in rows]}


@router.get(
    "/spaces/{int:space_id}/",
    response=SpaceDetailOut,
    summary="One space, if the caller may enter it",
    auth=any_caller,
)
def get_space(request: HttpRequest, space_id: int):
    user = request.user
    space = services.space_for(user, space_id)
    visibility, groups = services.visibility(space)
    [row] = services.space_rows(user, only=space)
    suspension = services.suspension_of(user, space)
    return {
        **_space_out(row),
        "visibility": visibility,
        "groups": groups,
        "rules": space.rules,
        "may_write": services.may_write(user, space),
        "suspended": suspension is not None,
        "suspended_until": suspension.until if suspension else None,
    }


@router.get(
    "/spaces/{int:space_id}/discussions/",
    response=DiscussionListOut,
    summary="A space's discussions, the latest active first",
    auth=any_caller,
)
def list_discussions(request: HttpRequest, space_id: int, paging: Query[Paging]):
    found = services.discussions(request.user, space_id)
    page = found[paging.offset : paging.offset + paging.limit]
    return {"count": found.count(), "items": [_discussion_out(item) for item in page]}


@router.post(
    "/spaces/{int:space_id}/discussions/",
    response={201: DiscussionOut},
    summary="Open a discussion (verified members)",
    auth=member_auth,
)
def open_discussion(request: HttpRequest, space_id: int, payload: DiscussionIn):
    user = member(request)
    throttle.consume(request, "space_post")
    found = services.open_discussion(user, space_id, payload.title, payload.text)
    return Status(201, _discussion_out(found, followed=True))


@router.get(
    "/spaces/discussions/{int:discussion_id}/",
    response=DiscussionDetailOut,
    summary="A discussion and its messages, oldest first (paged)",
    auth=any_caller,
)
def get_discussion(request: HttpRequest, discussion_id: int, paging: Query[Paging]):
    user = request.user
    found = services.discussion_for(user, discussion_id)
    followed = services.follows(user, discussion=found)
    items = services.messages(user, found)
    moderator = services.may_moderate(user)
    return {
        **_discussion_out(found, followed=followed),
        "count": items.count(),
        "messages": [
            _message_out(item, user, moderator) for item in items[paging.offset : paging.offset + paging.limit]
        ],
    }


@router.post(
    "/spaces/discussions/{int:discussion_id}/messages/",
    response={201: MessageOut},
    summary="Reply in a discussion (verified members)",
    auth=member_auth,
)
def reply(request: HttpRequest, discussion_id: int, payload: MessageIn):
    user = member(request)
    throttle.consume(request, "space_post")
    return Status(
        201, _message_out(services.reply(user, discussion_id, payload.text), user, services.may_moderate(user))
    )


@router.put("/spaces/{int:space_id}/follow/", response=FollowOut, summary="Follow a space", auth=member_auth)
def follow_space(request: HttpRequest, space_id: int):
    return {"followed": services.follow(member(request), space_id=space_id)}


@router.delete("/spaces/{int:space_id}/follow/", response=FollowOut, summary="Stop following a space", auth=member_auth)
def unfollow_space(request: HttpRequest, space_id: int):
    return {"followed": services.follow(member(request), space_id=space_id, on=False)}


@router.put(
    "/spaces/discussions/{int:discussion_id}/follow/",
    response=FollowOut,
    summary="Follow a discussion",
    auth=member_auth,
)
def follow_discussion(request: HttpRequest, discussion_id: int):
    return {"followed": services.follow(member(request), discussion_id=discussion_id)}


@router.delete(
    "/spaces/discussions/{int:discussion_id}/follow/",
    response=FollowOut,
    summary="Stop following a discussion",
    auth=member_auth,
)
def unfollow_discussion(request: HttpRequest, discussion_id: int):
    return {"followed": services.follow(member(request), discussion_id=discussion_id, on=False)}


@router.post(
    "/spaces/messages/{int:message_id}/report/",
    response={201: None},
    summary="Report a message to the moderators",
    auth=member_auth,
)
def report(request: HttpRequest, message_id: int, payload: ReportIn):
    user = member(request)
    throttle.consume(request, "space_report")
    services.report(user, message_id, payload.reason)
    return Status(201, None)


@router.post(
    "/spaces/messages/{int:message_id}/moderation/",
    response=MessageOut,
    summary="Moderators: hide, show again, edit a message, or dismiss its reports (logged)",
    auth=member_auth,
)
def moderate(request: HttpRequest, message_id: int, payload: ModerationIn):
    user = member(request)
    if payload.action in ("hide", "show"):
        found = services.set_hidden(user, message_id, payload.action == "hide", payload.reason)
    elif payload.action == "edit":
        found = services.edit(user, message_id, payload.text, payload.reason)
    else:
        found = services.dismiss_reports(user, message_id, payload.reason)
    return _message_out(found, user, True, reports=found.reports.filter(handled_at=None).count())


@router.get("/spaces/reports/", response=list[ReportOut], summary="Moderators: the reports to handle", auth=member_auth)
def open_reports(request: HttpRequest, paging: Query[Paging]):
    found = services.open_reports(member(request))[paging.offset : paging.offset + paging.limit]
    return [
        {
            "id": item.pk,
            "message_id": item.message_id,
            "discussion_id": item.message.discussion_id,
            "space_id": item.message.discussion.space_id,
            "message_text": item.message.text,
            "author_name": item.message.author_name,
            "reason": item.reason,
            "reported_by": item.reporter.get_full_name() or item.reporter.get_username(),
            "created_at": item.created_at,
        }
        for item in found
    ]


@router.get(
    "/spaces/moderation-log/",
    response=list[ModerationEntryOut],
    summary="Moderators: every moderation act, newest first",
    auth=member_auth,
)
def moderation_log(request: HttpRequest, paging: Query[Paging]):
    found = services.moderation_log(member(request))[paging.offset : paging.offset + paging.limit]
    return [
        {
            "id": item.pk,
            "space_id": item.space_id,
            "space": item.space.title,
            "action": item.action,
            "action_label": str(item.get_action_display()),
            "moderator": item.moderator_name,
            "message_id": item.message_id,
            "member": item.member_name,
            "reason": item.reason,
            "previous_text": item.previous_text,
            "created_at": item.created_at,
        }
        for item in found
    ]


def _suspension_out(item, member_name: str) -> dict:
    return {
        "id": item.pk,
        "space_id": item.space_id,
        "member_id": item.member_id,
        "member_name": member_name,
        "reason": item.reason,
        "until": item.until,
        "created_at": item.created_at,
    }


@router.get(
    "/spaces/{int:space_id}/suspensions/",
    response=list[SuspensionOut],
    summary="Moderators: the suspensions in force in a space",
    auth=member_auth,
)
def list_suspensions(request: HttpRequest, space_id: int):
    found = list(services.suspensions(member(request), space_id)[:200])
    names = services.signatures([item.member for item in found])
    return [_suspension_out(item, names[item.member_id]) for item in found]


@router.post(
    "/spaces/{int:space_id}/suspensions/",
    response={201: SuspensionOut},
    summary="Moderators: suspend a member from a space (logged)",
    auth=member_auth,
)
def suspend(request: HttpRequest, space_id: int, payload: SuspensionIn):
    found = services.suspend(member(request), space_id, payload.member, payload.reason, payload.until)
    return Status(201, _suspension_out(found, services.signature(found.member)))


@router.delete(
    "/spaces/suspensions/{int:suspension_id}/",
    response={204: None},
    summary="Moderators: lift a suspension (logged)",
    auth=member_auth,
)
def lift(request: HttpRequest, suspension_id: int):
    services.lift(member(request), suspension_id)
    return Status(204, None)


@router.get(
    "/me/spaces/",
    response=FollowingListOut,
    summary="The spaces and discussions I follow, and my weekly e-mail",
    auth=member_auth,
)
def my_followings(request: HttpRequest):
    user = member(request)
    items = []
    for item in services.followings(user)[:500]:
        space, discussion = item.space, item.discussion
        if space is not None:
            items.append(
                {
                    "id": item.pk,
                    "space_id": space.pk,
                    "discussion_id": None,
                    "title": space.title,
                    "url": space.url,
                    "created_at": item.created_at,
                }
            )
        elif discussion is not None:
            items.append(
                {
                    "id": item.pk,
                    "space_id": discussion.space_id,
                    "discussion_id": discussion.pk,
                    "title": discussion.title,
                    "url": services.discussion_url(discussion),
                    "created_at": item.created_at,
                }
            )
    return {"weekly_email": digest.settings_of(user).active, "items": items}


@router.patch("/me/spaces/", response=FollowingListOut, summary="Turn my weekly e-mail on or off", auth=member_auth)
def change_my_digest(request: HttpRequest, payload: DigestIn):
    digest.set_active(member(request), payload.weekly_email)
    return my_followings(request)
