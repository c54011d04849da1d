"""Pages as JSON for the headless API: StreamField blocks, rich text with resolved links, images."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.http import HttpRequest
from modelcluster.fields import ParentalManyToManyField
from taggit.managers import TaggableManager
from wagtail.api.rich_text import APIRichText
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from atlas_pages.core.countries import country_name

IMAGE_RENDITIONS = {"thumbnail": "fill-400x300", "medium": "max-800x800", "large": "max-1600x1600"}
POINT = re.compile(r"POINT\s*\(\s*(?P<lng>-?[\d.]+)\s+(?P<lat>-?[\d.]+)\s*\)")


def absolute(request: HttpRequest | None, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


def image_json(image: AbstractImage | None, request: HttpRequest | None = None) -> dict | None:
    if image is None:
        return None
    renditions = image.get_renditions(*IMAGE_RENDITIONS.values())
    return {
        "id": image.pk,
        "title": image.title,
        "alt": getattr(image, "description", "") or image.title,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute(request, renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in IMAGE_RENDITIONS.items()
        },
    }


def document_json(document, request: HttpRequest | None = None) -> dict | None:
    if document is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": absolute(request, document.url),
        "extension": document.file_extension,
    }


def point_json(value: str) -> dict | None:
    """wagtailgeowidget stores "SRID=4326;POINT(lng lat)"."""
    match = POINT.search(value or "")
    if not match:
        return None
    return {"lat": float(match["lat"]), "lng": float(match["lng"])}


def rich_text_format(request: HttpRequest | None) -> str:
    return APIRichText.resolve_format(request.GET.get("rich_text_format") if request else None)


def field_json(page: Page, name: str, request: HttpRequest | None) -> Any:
    """One of the page's ``api_fields``, in the shape its kind of field calls for."""
    if name == "country":
        code = page.country
        return {"code": code, "name": country_name(code)} if code else None
    if name == "location":
        return point_json(page.location)
    if name == "themes":
        return [{"slug": theme.slug, "name": theme.label} for theme in page.themes.all()]
    if name == "tags":
        return [tag.name for tag in page.tags.all()]
    field = page._meta.get_field(name)
    value = getattr(page, name)
    if isinstance(field, StreamField):
        return field.stream_block.get_api_representation(value, context={"request": request})
    if isinstance(field, RichTextField):
        return APIRichText.serialize(value or "", format=rich_text_format(request))
    if isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage):
        return image_json(value, request)
    if isinstance(field, ParentalManyToManyField):
        return [{"id": item.pk, "name": str(item)} for item in value.all()]
    if isinstance(field, TaggableManager):
        return [tag.name for tag in value.all()]
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def page_fields(page: Page, request: HttpRequest | None) -> dict[str, Any]:
    """Every field the page type declares in ``api_fields``."""
    specific = page.specific
    return {name: field_json(specific, name, request) for name in getattr(specific, "api_fields", [])}
