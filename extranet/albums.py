"""Albums of Atlas maps: “Enregistrer cette carte dans mon espace personnel”.

A saved map keeps the search's filters, the area shown and the zoom; reopened, the Atlas
shows the same filters and the same view, with the markers of the live Atlas.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas import svgmap
from atlas_pages.atlas.search import BBoxField
from atlas_pages.core.exceptions import NotFound
from atlas_pages.editorial import translations
from atlas_pages.models import AtlasPage
from extranet.models import MapAlbum, SavedMap
from extranet.ordering import close_gap, move, next_position

MAX_ZOOM = 18
NAME_MAX = MapAlbum._meta.get_field("name").max_length
TITLE_MAX = SavedMap._meta.get_field("title").max_length


@dataclass
class MapView:
    """What the front end needs to reopen a saved map exactly."""

    saved: SavedMap
    bbox: tuple[float, float, float, float]
    url: str  # the Atlas page with the filters and the view ("" without an Atlas page)
    geojson_url: str
    csv_url: str  # today's projects of its filters, as open data
    preview: str = ""  # a small map of the area, its countries shaded by today's projects (SVG)


def atlas_url() -> str:
    page = translations.first_in_language(AtlasPage.objects.live())
    return page.url if page is not None else ""


def view_of(saved: SavedMap, base_url: str) -> MapView:
    bbox = tuple(float(part) for part in saved.view_bbox.split(","))
    reopen = urlencode([("vue", saved.view_bbox), ("zoom", saved.zoom)])
    separator = "&" if saved.query else ""
    return MapView(
        saved=saved,
        bbox=bbox,
        url=f"{base_url}?{saved.query}{separator}{reopen}" if base_url else "",
        geojson_url=f"/api/atlas/projects.geojson?{saved.query}",
        csv_url=reverse("api:atlas_csv") + (f"?{saved.query}" if saved.query else ""),
        preview=_preview(saved, bbox),
    )


def _preview(saved: SavedMap, bbox: tuple[float, float, float, float]) -> str:
    """The saved map's area drawn on the server, shaded by the projects its filters find in the
    Atlas today (from the search index: no query per map)."""
    try:
        found = atlas_search.find(QueryDict(saved.query))
    except ValidationError:  # filters the Atlas no longer knows: the area alone
        counts = {}
    else:
        counts = found.counts().country
    label = gettext("Preview of the map “%(title)s”") % {"title": saved.title}
    return mark_safe(svgmap.area_svg(counts, bbox, label))  # noqa: S308 — numbers and escaped names


def albums(user: User) -> list[MapAlbum]:
    """The member's albums in their order, each with its maps (two queries)."""
    return list(MapAlbum.objects.filter(user=user).prefetch_related("maps"))


def album(user: User, album_id: int) -> MapAlbum:
    found = MapAlbum.objects.filter(user=user, pk=album_id).prefetch_related("maps").first()
    if found is None:
        raise NotFound()  # someone else's album is not found either
    return found


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the album a name.")]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("The name of an album is at most %(max)d characters.") % {"max": NAME_MAX}]})
    return name


def _named(save):
    """Saves an album, its name being unique among the member's albums."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as error:
        raise ValidationError({"name": [_("You already have an album with this name.")]}) from error


def create_album(user: User, name: str) -> MapAlbum:
    name = _clean_name(name)
    position = next_position(MapAlbum.objects.filter(user=user))
    return _named(lambda: MapAlbum.objects.create(user=user, name=name, position=position))


@transaction.atomic
def update_album(user: User, album_id: int, *, name: str | None = None, position: int | None = None):
    """Renames the album, or moves it to ``position`` (1 = first) among the member's albums."""
    target = album(user, album_id)
    if name is not None:
        target.name = _clean_name(name)
        _named(lambda: target.save(update_fields=["name"]))
    if position is not None:
        move(MapAlbum.objects.filter(user=user), target, position)
    return target


@transaction.atomic
def delete_album(user: User, album_id: int) -> None:
    """Deletes the album and the maps in it."""
    target = album(user, album_id)
    target.delete()
    close_gap(MapAlbum.objects.filter(user=user), target.position)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the map a title.")]})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [_("The title of a map is at most %(max)d characters.") % {"max": TITLE_MAX}]})
    return title


def _clean_map(title: str, query: str, view_bbox: str, zoom: int) -> dict:
    """Every fault at once, each under its field (a filter's under ``query.<filter>``)."""
    errors: dict[str, list] = {}
    cleaned = {}
    try:
        cleaned["title"] = _clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned["query"] = atlas_search.clean_query(query or "")
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[f"query.{name}"] = messages
    try:
        bbox = BBoxField(required=True).clean(view_bbox)
    except ValidationError as error:
        errors["view_bbox"] = error.messages
    else:
        cleaned["view_bbox"] = atlas_search.format_bbox(bbox)
    if zoom is None or not 0 <= zoom <= MAX_ZOOM:
        errors["zoom"] = [_("The zoom is a whole number from 0 to %(max)d.") % {"max": MAX_ZOOM}]
    if errors:
        raise ValidationError(errors)
    cleaned["zoom"] = zoom
    return cleaned


@transaction.atomic
def save_map(
    user: User,
    *,
    title: str,
    query: str,
    view_bbox: str,
    zoom: int,
    album_id: int | None = None,
    album_name: str = "",
) -> SavedMap:
    """Saves the map into one of the member's albums, or into a new album named ``album_name``."""
    cleaned = _clean_map(title, query, view_bbox, zoom)
    if album_id is not None:
        target = album(user, album_id)
    elif (album_name or "").strip():
        name = _clean_name(album_name)
        target = MapAlbum.objects.filter(user=user, name=name).first() or create_album(user, name)
    else:
        raise ValidationError({"album_id": [_("Choose an album, or give the name of a new one.")]})
    count = atlas_search.find(QueryDict(cleaned["query"])).count
    return SavedMap.objects.create(
        album=target, project_count=count, position=next_position(target.maps.all()), **cleaned
    )


def saved_map(user: User, map_id: int, album_id: int | None = None) -> SavedMap:
    found = SavedMap.objects.filter(album__user=user, pk=map_id).select_related("album").first()
    if found is None or (album_id is not None and found.album_id != album_id):
        raise NotFound()
    return found


@transaction.atomic
def update_map(
    user: User,
    map_id: int,
    *,
    album_id: int | None = None,
    title: str | None = None,
    position: int | None = None,
    move_to_album: int | None = None,
) -> SavedMap:
    """Renames the map, moves it to another of the member's albums (at the end) or to
    ``position`` (1 = first) in its album."""
    target = saved_map(user, map_id, album_id)
    if title is not None:
        target.title = _clean_title(title)
        target.save(update_fields=["title"])
    if move_to_album is not None and move_to_album != target.album_id:
        destination = MapAlbum.objects.filter(user=user, pk=move_to_album).first()
        if destination is None:
            raise ValidationError({"album_id": [_("You have no album with this id.")]})
        old_album, old_position = target.album, target.position
        target.album, target.position = destination, next_position(destination.maps.all())
        target.save(update_fields=["album", "position"])
        close_gap(old_album.maps.all(), old_position)
    if position is not None:
        move(target.album.maps.all(), target, position)
    return target


@transaction.atomic
def delete_map(user: User, map_id: int, album_id: int | None = None) -> None:
    target = saved_map(user, map_id, album_id)
    target.delete()
    close_gap(SavedMap.objects.filter(album_id=target.album_id), target.position)
