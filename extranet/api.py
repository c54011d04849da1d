from datetime import date as date_type
from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from wagtail.models import Page

from atlas_pages.core.auth import member, member_auth
from atlas_pages.core.exceptions import NotFound
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from extranet import albums, alerts, bookmarks, brief, contributions, declarations, exports, notices, services
from extranet.ratelimits import limited
from extranet.views import personal_data_response

router = Router(tags=["extranet"])


class ActorGroupOut(Schema):
    slug: str
    name: str


class RegistrationOut(Schema):
    group: ActorGroupOut
    status: str = Field(description="pending, approved or rejected")
    registered_at: datetime
    decided_at: datetime | None


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    civility: str
    organisation: str
    organisation_code: str
    country: str
    region: str = Field(description="Prefectures: INSEE code of their region")
    position: str
    phone: str
    newsletter_opt_in: bool
    is_staff: bool
    groups: list[ActorGroupOut]
    registration: RegistrationOut | None


class MeIn(InputSchema):
    """Only the fields sent change. E-mail and password change through allauth
    (``/_allauth/{client}/v1/account/email`` and ``.../account/password/change``), which
    re-verify the address and notify the member.

    Once staff approved the registration, the affiliation (``organisation``,
    ``organisation_code``, ``country``, ``region``, and the group) is what they verified: a
    different value is refused with a 422 naming the field; ask for it with
    ``POST /api/me/group-requests/``."""

    username: str | None = Field(None, max_length=150)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    civility: Literal["", "mme", "m"] | None = None
    organisation: str | None = Field(None, max_length=255)
    organisation_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2)
    region: str | None = Field(None, max_length=3)
    position: str | None = Field(None, max_length=255)
    phone: str | None = Field(None, max_length=40)
    newsletter_opt_in: bool | None = None


class GroupRequestIn(InputSchema):
    """A change of affiliation for staff to verify: what is left out stays as it is."""

    group: str | None = Field(None, max_length=64, description="Slug of the group asked for (default: the current one)")
    organisation: str | None = Field(None, max_length=255)
    organisation_code: str | None = Field(None, max_length=20, description="Local authorities: SIREN or INSEE code")
    country: str | None = Field(None, max_length=2, description="Embassies: ISO code of the country")
    region: str | None = Field(None, max_length=3, description="Prefectures: INSEE code of the region")
    motivation: str = Field(max_length=2000)


class GroupRequestOut(Schema):
    id: int
    group: ActorGroupOut
    organisation: str
    organisation_code: str
    country: str
    region: str
    motivation: str
    status: str = Field(description="pending, approved or rejected")
    asked_at: datetime
    decided_at: datetime | None
    decision_reason: str


class AccountDeletionIn(InputSchema):
    password: str


def _group_out(group) -> ActorGroupOut:
    return ActorGroupOut(slug=group.slug, name=str(group.label))


@router.get("/groups/", response=list[ActorGroupOut], summary="The nine actor groups", auth=None)
def list_groups(request: HttpRequest):
    """The groups a visitor can register into, names in the requested language."""
    return [_group_out(group) for group in services.actor_groups()]


@router.get("/groups/{slug}/", response=ActorGroupOut, summary="One actor group", auth=None)
def get_group(request: HttpRequest, slug: str):
    for group in services.actor_groups():
        if group.slug == slug:
            return _group_out(group)
    raise NotFound()


def _me_out(user) -> MeOut:
    profile = services.profile_of(user)
    details: dict[str, Any] = {name: getattr(profile, name) if profile else "" for name in services.PROFILE_ONLY_FIELDS}
    details["newsletter_opt_in"] = bool(profile and profile.newsletter_opt_in)
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_staff=user.is_staff,
        groups=[_group_out(group) for group in services.member_groups(user)],
        registration=RegistrationOut(
            group=_group_out(profile.actor_group),
            status=profile.status,
            registered_at=profile.created_at,
            decided_at=profile.decided_at,
        )
        if profile
        else None,
        **details,
    )


@router.get("/me/", response=MeOut, summary="My profile", auth=member_auth)
def me(request: HttpRequest):
    return _me_out(request.user)


@router.patch("/me/", response=MeOut, summary="Update my profile", auth=member_auth)
def update_me(request: HttpRequest, payload: MeIn):
    """Changes only the fields sent, validated with the rest of the profile by the rules of
    the member's group; a field at fault is named in a 422 and nothing is saved."""
    user = services.update_profile(member(request), **payload.dict(exclude_unset=True))
    return _me_out(user)


@router.get("/me/export/", summary="Everything the site holds about me (JSON)", auth=member_auth)
def export_me(request: HttpRequest):
    """The member's personal data, as a JSON file to download."""
    return personal_data_response(request.user)


@router.post("/me/delete/", response={204: None}, summary="Delete my account", auth=member_auth)
def delete_me(request: HttpRequest, payload: AccountDeletionIn):
    """Deletes the account after checking the password; what others rely on is kept anonymised."""
    services.delete_account(member(request), payload.password)
    logout(request)
    return Status(204, None)


def _group_request_out(item) -> GroupRequestOut:
    return GroupRequestOut(
        id=item.pk,
        group=_group_out(item.actor_group),
        organisation=item.organisation,
        organisation_code=item.organisation_code,
        country=item.country,
        region=item.region,
        motivation=item.motivation,
        status=item.status,
        asked_at=item.created_at,
        decided_at=item.decided_at,
        decision_reason=item.decision_reason,
    )


@router.get("/me/group-requests/", response=list[GroupRequestOut], summary="My group change requests", auth=member_auth)
def list_group_requests(request: HttpRequest):
    return [_group_request_out(item) for item in services.group_requests(member(request))]


@router.post(
    "/me/group-requests/",
    response={201: GroupRequestOut},
    summary="Ask to change group or organisation",
    auth=member_auth,
)
def create_group_request(request: HttpRequest, payload: GroupRequestIn):
    """The CNCD team verifies the change like a registration; 409 while one is pending. Until
    they approve it, the verified affiliation stays what decides what the member sees."""
    affiliation = payload.dict(include=set(services.AFFILIATION_FIELDS), exclude_unset=True)
    item = services.request_group_change(member(request), payload.group, payload.motivation, **affiliation)
    return Status(201, _group_request_out(item))


# --- “Ma sélection” ---------------------------------------------------------------------------


class BookmarkIn(InputSchema):
    page_id: int
    note: str = Field("", max_length=1000)


class BookmarkPatch(InputSchema):
    note: str | None = Field(None, max_length=1000)
    position: int | None = Field(None, ge=1, description="New place in the selection, 1 = first")


class BookmarkOut(Schema):
    id: int
    page_id: int | None
    title: str
    available: bool = Field(description="False when the page was deleted, unpublished or padlocked away")
    reason: str | None = Field(description="deleted, unpublished or locked when not available")
    url: str
    teaser: str
    note: str
    position: int
    created_at: datetime


def _bookmark_out(row) -> dict:
    bookmark = row.bookmark
    return {
        "id": bookmark.pk,
        "page_id": bookmark.page_id if row.available else None,
        "title": bookmark.page.title if row.available else bookmark.title,
        "available": row.available,
        "reason": row.reason,
        "url": row.url,
        "teaser": row.teaser,
        "note": bookmark.note,
        "position": bookmark.position,
        "created_at": bookmark.created_at,
    }


@router.get("/me/bookmarks/", response=list[BookmarkOut], summary="My selection", auth=member_auth)
def list_bookmarks(request: HttpRequest):
    return [_bookmark_out(row) for row in bookmarks.selection(member(request), request)]


@router.post("/me/bookmarks/", response={201: BookmarkOut}, summary="Add a page to my selection", auth=member_auth)
def add_bookmark(request: HttpRequest, payload: BookmarkIn):
    """409 if the page is already there; 403 for a page padlocked away from the member."""
    created = bookmarks.add(member(request), payload.page_id, payload.note)
    (row,) = bookmarks.selection(member(request), request, only=[created.pk])
    return Status(201, _bookmark_out(row))


@router.patch("/me/bookmarks/{bookmark_id}/", response=BookmarkOut, summary="Annotate or move", auth=member_auth)
def update_bookmark(request: HttpRequest, bookmark_id: int, payload: BookmarkPatch):
    bookmarks.update(member(request), bookmark_id, **payload.dict(exclude_unset=True))
    (row,) = bookmarks.selection(member(request), request, only=[bookmark_id])
    return _bookmark_out(row)


@router.delete(
    "/me/bookmarks/{bookmark_id}/", response={204: None}, summary="Remove from my selection", auth=member_auth
)
def delete_bookmark(request: HttpRequest, bookmark_id: int):
    bookmarks.remove(member(request), bookmark_id)
    return Status(204, None)


# --- albums of Atlas maps ---------------------------------------------------------------------


class MapIn(InputSchema):
    title: str = Field(max_length=255)
    query: str = Field("", max_length=2000, description="The Atlas search's filters, as a query string")
    view_bbox: str = Field(description="The area shown: west,south,east,north in degrees")
    zoom: int = Field(description="The map's zoom, 0 to 18")


class MapPatch(InputSchema):
    title: str | None = Field(None, max_length=255)
    position: int | None = Field(None, ge=1, description="New place in the album, 1 = first")
    album_id: int | None = Field(None, description="Move the map to another of my albums (at its end)")


class MapOut(Schema):
    id: int
    album_id: int
    title: str
    query: str = Field(description="The search's filters, as a query string")
    view_bbox: list[float] = Field(description="west, south, east, north")
    zoom: int
    project_count: int = Field(description="Projects found when the map was saved")
    position: int
    created_at: datetime
    url: str = Field(description="The Atlas page showing the map as it was saved")
    geojson_url: str = Field(description="The markers, from the live Atlas")


class AlbumIn(InputSchema):
    name: str = Field(max_length=100)


class AlbumPatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    position: int | None = Field(None, ge=1, description="New place among my albums, 1 = first")


class AlbumOut(Schema):
    id: int
    name: str
    position: int
    created_at: datetime
    maps: list[MapOut]


def _map_out(saved, base_url: str) -> dict:
    view = albums.view_of(saved, base_url)
    return {
        "id": saved.pk,
        "album_id": saved.album_id,
        "title": saved.title,
        "query": saved.query,
        "view_bbox": list(view.bbox),
        "zoom": saved.zoom,
        "project_count": saved.project_count,
        "position": saved.position,
        "created_at": saved.created_at,
        "url": view.url,
        "geojson_url": view.geojson_url,
    }


def _album_out(album, base_url: str) -> dict:
    return {
        "id": album.pk,
        "name": album.name,
        "position": album.position,
        "created_at": album.created_at,
        "maps": [_map_out(saved, base_url) for saved in album.maps.all()],
    }


@router.get("/me/albums/", response=list[AlbumOut], summary="My albums of maps", auth=member_auth)
def list_albums(request: HttpRequest):
    base_url = albums.atlas_url()
    return [_album_out(album, base_url) for album in albums.albums(member(request))]


@router.post("/me/albums/", response={201: AlbumOut}, summary="Create an album", auth=member_auth)
def create_album(request: HttpRequest, payload: AlbumIn):
    """422 naming ``name`` when it is empty or already one of my albums."""
    album = albums.create_album(member(request), payload.name)
    return Status(201, _album_out(albums.album(member(request), album.pk), albums.atlas_url()))


@router.get("/me/albums/{album_id}/", response=AlbumOut, summary="One of my albums", auth=member_auth)
def get_album(request: HttpRequest, album_id: int):
    return _album_out(albums.album(member(request), album_id), albums.atlas_url())


@router.patch("/me/albums/{album_id}/", response=AlbumOut, summary="Rename or move an album", auth=member_auth)
def update_album(request: HttpRequest, album_id: int, payload: AlbumPatch):
    albums.update_album(member(request), album_id, **payload.dict(exclude_unset=True))
    return _album_out(albums.album(member(request), album_id), albums.atlas_url())


@router.delete("/me/albums/{album_id}/", response={204: None}, summary="Delete an album and its maps", auth=member_auth)
def delete_album(request: HttpRequest, album_id: int):
    albums.delete_album(member(request), album_id)
    return Status(204, None)


@router.post(
    "/me/albums/{album_id}/maps/", response={201: MapOut}, summary="Save a map into an album", auth=member_auth
)
def save_map(request: HttpRequest, album_id: int, payload: MapIn):
    """“Enregistrer cette carte dans mon espace personnel”: the Atlas search's filters, the area
    shown and the zoom. A bad filter is named ``query.<filter>``."""
    saved = albums.save_map(member(request), album_id=album_id, **payload.dict())
    return Status(201, _map_out(saved, albums.atlas_url()))


@router.get("/me/albums/{album_id}/maps/{map_id}/", response=MapOut, summary="One of my maps", auth=member_auth)
def get_map(request: HttpRequest, album_id: int, map_id: int):
    return _map_out(albums.saved_map(member(request), map_id, album_id), albums.atlas_url())


@router.patch("/me/albums/{album_id}/maps/{map_id}/", response=MapOut, summary="Rename or move a map", auth=member_auth)
def update_map(request: HttpRequest, album_id: int, map_id: int, payload: MapPatch):
    changes = payload.dict(exclude_unset=True)
    if "album_id" in changes:
        changes["move_to_album"] = changes.pop("album_id")
    saved = albums.update_map(member(request), map_id, album_id=album_id, **changes)
    return _map_out(saved, albums.atlas_url())


@router.delete("/me/albums/{album_id}/maps/{map_id}/", response={204: None}, summary="Delete a map", auth=member_auth)
def delete_map(request: HttpRequest, album_id: int, map_id: int):
    albums.delete_map(member(request), map_id, album_id)
    return Status(204, None)


# --- saved PDF exports ------------------------------------------------------------------------


class ExportIn(InputSchema):
    query: str = Field("", max_length=2000, description="The Atlas search's filters, as a query string")
    scope: str = Field("country", description="Group the projects by country or by continent")


class FilterOut(Schema):
    label: str
    value: str


class ExportOut(Schema):
    id: int
    title: str
    query: str = Field(description="The filters that made the export, as a query string")
    filters: list[FilterOut] = Field(description="The same filters, in words")
    status: str = Field(description="pending, ready or failed")
    progress: int = Field(description="How much of the PDF is made, in percent (100 once ready)")
    project_count: int
    scope: str
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None


class ExportListOut(Schema):
    count: int
    items: list[ExportOut]


class ExportSendIn(InputSchema):
    email: str = Field(max_length=254, description="The colleague's address")
    message: str = Field("", max_length=1000)


class ExportSentOut(Schema):
    detail: str
    attached: bool = Field(description="True: the PDF is attached; False: sent as a link valid for a week")


def _filters_out(filters: list[tuple[str, str]]) -> list[dict]:
    return [{"label": label, "value": value} for label, value in filters]


def _query_errors(error: ValidationError, own: str) -> ValidationError:
    """The errors of a payload that carries an Atlas search: its filters named
    ``query.<filter>``, the payload's own field ``own`` as it is."""
    return ValidationError(
        {name if name == own else f"query.{name}": messages for name, messages in error.message_dict.items()}
    )


def _export_out(request: HttpRequest, item) -> dict:
    ready = item.status == item.Status.READY
    return {
        "id": item.pk,
        "title": str(item),
        "query": item.query,
        "filters": _filters_out(exports.filters_of(item)),
        "status": item.status,
        "progress": item.progress,
        "project_count": item.project_count,
        "scope": item.scope,
        "created_at": item.created_at,
        "finished_at": item.finished_at,
        "download_url": request.build_absolute_uri(reverse("api:atlas_export_pdf", args=[item.pk])) if ready else None,
    }


@router.get(
    "/me/exports/", response=ExportListOut, summary="My saved PDF exports", auth=member_auth, url_name="exports"
)
def list_exports(request: HttpRequest, paging: Query[Paging]):
    queryset = exports.exports(member(request))
    page = queryset[paging.offset : paging.offset + paging.limit]
    return {"count": queryset.count(), "items": [_export_out(request, item) for item in page]}


@router.post(
    "/me/exports/",
    response={201: ExportOut, 202: ExportOut},
    summary="Save the PDF of an Atlas search in my space",
    auth=member_auth,
)
def create_export(request: HttpRequest, payload: ExportIn):
    """201 with the PDF ready; 202 when it is large and made in the background (an e-mail tells
    when it is ready). A bad filter is named ``query.<filter>``."""
    try:
        item = exports.keep(member(request), payload.query, payload.scope)
    except ValidationError as error:
        raise _query_errors(error, "scope") from error
    return Status(201 if item.status == item.Status.READY else 202, _export_out(request, item))


@router.get(
    "/me/exports/{export_id}/",
    response=ExportOut,
    summary="One of my saved exports (its progress while it is made)",
    auth=member_auth,
    url_name="export_detail",
)
def get_export(request: HttpRequest, export_id: int):
    return _export_out(request, exports.export(member(request), export_id))


@router.delete("/me/exports/{export_id}/", response={204: None}, summary="Delete a saved export", auth=member_auth)
def delete_export(request: HttpRequest, export_id: int):
    exports.delete(member(request), export_id)
    return Status(204, None)


@router.get(
    "/me/exports/{export_id}/pdf",
    summary="Download one of my saved exports",
    auth=member_auth,
    url_name="atlas_export_pdf",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def download_export(request: HttpRequest, export_id: int):
    """409 while the export is being prepared."""
    item, handle = exports.pdf_file(member(request), export_id)
    return FileResponse(handle, as_attachment=True, filename=f"atlas-cncd-{item.pk}.pdf")


@router.post(
    "/me/exports/{export_id}/send",
    response=ExportSentOut,
    summary="E-mail a saved export to a colleague",
    auth=member_auth,
)
def send_export(request: HttpRequest, export_id: int, payload: ExportSendIn):
    """“L'adresser par courriel à un ami”: attached up to a few megabytes, else a link valid for
    a week; the colleague's reply goes to me. Limited to a few sendings an hour (429)."""
    exports.export(member(request), export_id)  # 404 before spending the allowance
    limited(request, "send_export")
    attached = exports.send(member(request), export_id, payload.email, payload.message)
    return {
        "detail": gettext("The export has been sent to %(email)s.") % {"email": payload.email},
        "attached": attached,
    }


# --- alerts on an Atlas search ----------------------------------------------------------------


class AlertIn(InputSchema):
    query: str = Field("", max_length=2000, description="The Atlas search's filters, as a query string")
    bourse: bool = Field(True, description="The new Bourse-projets entries of its countries, continent and themes too")
    title: str = Field("", max_length=255, description="Empty: the filters in words")


class AlertPatch(InputSchema):
    active: bool = Field(description="False stops the e-mails, True turns them on again")


class AlertOut(Schema):
    id: int
    title: str
    query: str
    filters: list[FilterOut]
    bourse: bool
    active: bool
    created_at: datetime
    last_sent_at: datetime | None = Field(description="The last e-mail; one a week at most, only when something is new")


def _alert_out(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "query": item.query,
        "filters": _filters_out(alerts.filters_of(item)),
        "bourse": item.bourse,
        "active": item.active,
        "created_at": item.created_at,
        "last_sent_at": item.last_sent_at,
    }


@router.get("/me/alerts/", response=list[AlertOut], summary="The Atlas searches I follow", auth=member_auth)
def list_alerts(request: HttpRequest):
    return [_alert_out(item) for item in alerts.alerts(member(request))]


@router.post("/me/alerts/", response={201: AlertOut}, summary="Follow an Atlas search", auth=member_auth)
def create_alert(request: HttpRequest, payload: AlertIn):
    """What the Atlas holds now is not new: the first e-mail lists what comes after. A bad
    filter is named ``query.<filter>``; 409 past 20 alerts."""
    try:
        item = alerts.create(member(request), payload.query, bourse=payload.bourse, title=payload.title)
    except ValidationError as error:
        raise _query_errors(error, "title") from error
    return Status(201, _alert_out(item))


@router.patch("/me/alerts/{alert_id}/", response=AlertOut, summary="Stop or resume an alert", auth=member_auth)
def change_alert(request: HttpRequest, alert_id: int, payload: AlertPatch):
    return _alert_out(alerts.set_active(member(request), alert_id, payload.active))


@router.delete("/me/alerts/{alert_id}/", response={204: None}, summary="Delete an alert", auth=member_auth)
def delete_alert(request: HttpRequest, alert_id: int):
    alerts.delete(member(request), alert_id)
    return Status(204, None)


# --- the brief of my group, the history of my teleprocedures ----------------------------------


class BriefItemOut(Schema):
    id: int
    title: str
    teaser: str
    url: str
    date: date_type
    locked: bool = Field(description="Padlocked away from me: title and teaser only")
    unread: bool


class BriefOut(Schema):
    unread: int = Field(description="How many of the items I have not opened")
    items: list[BriefItemOut]


@router.get("/me/brief/", response=BriefOut, summary="The news brief of my group", auth=member_auth)
def my_brief(request: HttpRequest, limit: int = Query(10, ge=1, le=brief.BRIEF_MAX)):  # noqa: B008
    """The latest articles editors targeted to my groups, newest first, unread ones marked."""
    rows = brief.brief(member(request), limit)
    return {
        "unread": sum(row.unread for row in rows),
        "items": [
            {
                "id": row.page.pk,
                "title": row.page.title,
                "teaser": row.page.teaser,
                "url": row.page.get_url(request) or "",
                "date": row.page.date,
                "locked": row.locked,
                "unread": row.unread,
            }
            for row in rows
        ],
    }


@router.post("/me/brief/{page_id}/read", response={204: None}, summary="Mark a brief item read", auth=member_auth)
def read_brief_item(request: HttpRequest, page_id: int):
    """For front ends that show the article themselves (the site marks it when it is opened)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not brief.mark_read(member(request), page):
        raise NotFound(gettext("This article is not in your brief."))
    return Status(204, None)


class DeclarationOut(Schema):
    kind: str
    kind_label: str
    reference: str
    title: str
    status: str
    status_label: str
    filed_at: datetime | None
    updated_at: datetime
    url: str
    receipt_url: str


class DeclarationListOut(Schema):
    count: int
    items: list[DeclarationOut]


@router.get(
    "/me/declarations/",
    response=DeclarationListOut,
    summary="The history of my teleprocedures",
    auth=member_auth,
)
def my_declarations(request: HttpRequest, paging: Query[Paging]):
    """Every teleprocedure I or my organisation filed (co-financing dossiers, e-APD, Atlas
    updates, Bourse-projets), newest first, with its state and receipt."""
    items = declarations.declarations(member(request))
    return {"count": len(items), "items": [vars(item) for item in items[paging.offset : paging.offset + paging.limit]]}


# --- contributions: members share their experience ----------------------------------------------


class ContributionIn(InputSchema):
    kind: Literal["good_practice", "testimony"]
    title: str = Field(max_length=255)
    teaser: str = Field(max_length=600, description="Two sentences, shown in listings and the newsletter")
    text: str = Field(max_length=20000, description="Plain text; a blank line between paragraphs")
    person_name: str = Field("", max_length=200, description="Who testifies (testimony)")
    person_role: str = Field("", max_length=255, description="Their role or title (testimony)")
    authority: str = Field("", max_length=255, description="The local authority that carries it (good practice)")
    country: str = Field("", max_length=2, description="ISO 3166 alpha-2 code")
    themes: list[str] = Field([], max_length=10, description="Theme slugs")
    projects: list[int] = Field([], max_length=20, description="Ids of the Atlas projects concerned")
    images: list[int] = Field(
        [],
        max_length=5,
        description="Ids of images uploaded with ``POST /api/me/contributions/images/``: the first illustrates "
        "the page, all follow the text",
    )


class ContributionImageOut(Schema):
    id: int
    alt: str
    url: str


class ContributionOut(Schema):
    id: int
    kind: str
    title: str
    state: str = Field(description="waiting (for the editors), sent_back (with their comment) or published")
    state_label: str
    comment: str = Field(description="The editors' comment when they sent it back")
    organisation: str = Field(description="The organisation the published page is credited to")
    url: str = Field(description="The published page (empty until then)")
    images: list[ContributionImageOut]


def _image_out(image) -> dict:
    return {"id": image.pk, "alt": image.description or image.title, "url": image.file.url}


def _contribution_out(item) -> dict:
    page = item.page
    return {
        "images": [_image_out(image) for image in contributions.images_of(page)],
        "id": page.pk,
        "kind": "testimony" if hasattr(page, "person_name") else "good_practice",
        "title": page.title,
        "state": item.state,
        "state_label": item.state_label,
        "comment": item.comment,
        "organisation": page.contributor_organisation,
        "url": (page.get_full_url() or "") if item.state == "published" else "",
    }


@router.get("/me/contributions/", response=list[ContributionOut], summary="My proposed pages", auth=member_auth)
def my_contributions(request: HttpRequest):
    return [_contribution_out(item) for item in contributions.mine(member(request))]


@router.post(
    "/me/contributions/",
    response={201: ContributionOut},
    summary="Propose a good practice or a testimony (verified members)",
    auth=member_auth,
)
def propose_contribution(request: HttpRequest, payload: ContributionIn):
    """A draft page of the rubric, submitted to the editors' moderation: they publish it, credited
    to my organisation, or send it back with a comment; I am told either way."""
    data = payload.dict()
    return Status(201, _contribution_out(contributions.propose(member(request), data.pop("kind"), data)))


@router.post(
    "/me/contributions/images/",
    response={201: ContributionImageOut},
    summary="Upload an image for a proposal (multipart: file, alt), then name it in ``images``",
    auth=member_auth,
)
def upload_contribution_image(
    request: HttpRequest,
    file: Annotated[UploadedFile, File(...)],
    alt: str = Form(..., max_length=250, description="What the image shows, read to those who cannot see it"),
):
    """JPEG, PNG, WebP or GIF, judged by its content; verified members only."""
    return Status(201, _image_out(contributions.upload_image(member(request), file, alt)))


@router.put(
    "/me/contributions/{page_id}/",
    response=ContributionOut,
    summary="Change a proposal the editors sent back, and submit it again",
    auth=member_auth,
)
def resubmit_contribution(request: HttpRequest, page_id: int, payload: ContributionIn):
    """409 while the editors are reading it or once it is published."""
    data = payload.dict()
    data.pop("kind")
    return _contribution_out(contributions.resubmit(member(request), page_id, data))


# --- notifications ----------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: datetime
    read: bool


class NoticeListOut(Schema):
    count: int
    unread: int
    items: list[NoticeOut]


@router.get("/me/notifications/", response=NoticeListOut, summary="What the site told me by e-mail", auth=member_auth)
def my_notifications(request: HttpRequest, paging: Query[Paging]):
    """Newest first: each e-mail of the procedures (a dossier filed, an opinion asked, a decision…)."""
    queryset = notices.notices(member(request))
    page = queryset[paging.offset : paging.offset + paging.limit]
    return {
        "count": queryset.count(),
        "unread": notices.unread_count(member(request)),
        "items": [
            {
                "id": item.pk,
                "subject": item.subject,
                "body": item.body,
                "url": item.url,
                "created_at": item.created_at,
                "read": item.read_at is not None,
            }
            for item in page
        ],
    }


@router.post("/me/notifications/read", response={204: None}, summary="Mark my notifications read", auth=member_auth)
def read_notifications(request: HttpRequest):
    notices.mark_all_read(member(request))
    return Status(204, None)
