"""Draft preview for any front end, the reference one included (wagtail-headless-preview).

An editor clicks Preview in the Wagtail admin: wagtail-headless-preview stores the draft as it
stands in the form (a ``PagePreview``) under a token signed with the site's secret and sends the
admin's preview panel to the front end's preview address with ``?content_type=&token=``. The
front end asks ``/api/pages/preview/`` with the same two values and renders what it gets; the
reference front end's ``/apercu/`` does the same through :func:`draft`.

The token is the only credential: whoever holds it reads the draft, padlock or not, for
``CNCD_PREVIEW_MAX_AGE`` seconds (the library's own lookup checks the signature but not its
age). Previews older than a day are deleted when the next one is made.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from atlas_pages.core.exceptions import Forbidden, NotFound


class PreviewRefused(Forbidden):
    default_message = _("This preview link is not valid: click Preview again in the administration.")


class PreviewExpired(Forbidden):
    default_message = _("This preview link has expired: click Preview again in the administration.")


class FrontEndPreview(HeadlessPreviewMixin):
    """Page types whose Preview shows the front end's rendering of the draft. Put it before
    ``Page`` (and before ``RoutablePageMixin``) in the bases."""

    def render_draft(self, request):
        """The page as the reference front end renders it, from the draft in hand (Wagtail's
        own preview rendering, which the headless mixin replaces in the admin)."""
        request.is_preview = True
        request.preview_mode = self.default_preview_mode
        return super(HeadlessPreviewMixin, self).serve_preview(request, self.default_preview_mode)


def _signer():
    return HeadlessPreviewMixin.get_preview_signer()


@dataclass
class Draft:
    page: Page
    parent_id: int | None


def draft(content_type: str, token: str) -> Draft:
    """The draft a preview token stands for, and its parent's id. ``content_type`` is ``app_label.model`` as the
    preview address gives it. Raises ``PreviewRefused`` for a forged or mismatched token,
    ``PreviewExpired`` past ``CNCD_PREVIEW_MAX_AGE``, ``NotFound`` once the preview is deleted."""
    try:
        identifier = _signer().unsign(token or "", max_age=settings.CNCD_PREVIEW_MAX_AGE)
    except SignatureExpired as error:
        raise PreviewExpired() from error
    except BadSignature as error:
        raise PreviewRefused() from error
    app_label, _dot, model = (content_type or "").partition(".")
    try:
        kind = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist as error:
        raise PreviewRefused(field="content_type") from error
    preview = PagePreview.objects.filter(token=token).first()
    if preview is None:
        raise NotFound(_("This preview is no longer kept: click Preview again in the administration."))
    if preview.content_type_id != kind.pk:
        raise PreviewRefused(field="content_type")
    page = preview.as_page()
    if not isinstance(page, FrontEndPreview):
        raise PreviewRefused(field="content_type")
    return Draft(page=page, parent_id=_parent_id(identifier, page))


def _parent_id(identifier: str, page: Page) -> int | None:
    """A saved page's parent from the tree; a new page's from the token (``parent_id=N;…``)."""
    if page.pk:
        parent = Page.objects.filter(pk=page.pk).first()
        return parent.get_parent().pk if parent and parent.depth > 1 else None
    fields = dict(part.partition("=")[::2] for part in identifier.split(";"))
    return int(fields["parent_id"]) if fields.get("parent_id", "").isdigit() else None
