"""The member's saved PDF exports of the Atlas: kept, listed, downloaded, deleted, and sent to
a colleague (“l'adresser par courriel à un ami”), attached or by an expiring link."""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import pdf as atlas_pdf
from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.pdf import describe_filters
from atlas_pages.core import mail
from atlas_pages.core.exceptions import Conflict, NotFound
from atlas_pages.core.links import id_from_signed, signed_id, site_url
from extranet.models import AtlasExport

logger = logging.getLogger(__name__)

MESSAGE_MAX = 1000
#: A link sent to a colleague opens the PDF for this long (seconds).
SHARE_LINK_SECONDS = 7 * 24 * 3600
SHARE_SALT = "cncd.export.share"


class ExportNotReady(Conflict):
    default_message = _("This export is not ready yet.")


def exports(user: User) -> QuerySet[AtlasExport]:
    """The member's exports, newest first."""
    return AtlasExport.objects.filter(owner=user).order_by("-created_at", "-pk")


def export(user: User, export_id: int) -> AtlasExport:
    found = AtlasExport.objects.filter(owner=user, pk=export_id).first()
    if found is None:
        raise NotFound()  # someone else's export is not found either
    return found


def keep(user: User, params, scope: str = "country") -> AtlasExport:
    """“Exporter les résultats en pdf” into the personal space (filters checked, named on error)."""
    if scope not in AtlasExport.Scope.values:
        raise ValidationError({"scope": [_("Choose country or continent.")]})
    return keep_export(user, params, scope)


def keep_export(owner: User, params, scope: str = "country", ids: list[int] | None = None) -> AtlasExport:
    """Keeps the PDF of a search for the member, with the filters that made it: made at once
    up to ``atlas_pages.atlas.pdf.IMMEDIATE_LIMIT`` projects, else in the background and
    announced by e-mail. ``ids``: the search's results when the caller has them already."""
    from extranet.tasks import build_atlas_export

    query = atlas_search.clean_query(params)
    if ids is None:
        ids = atlas_search.find(QueryDict(query)).ids()
    item = AtlasExport.objects.create(
        owner=owner, query=query, scope=scope, project_count=len(ids), title=atlas_pdf.export_title(QueryDict(query))
    )
    if len(ids) <= atlas_pdf.IMMEDIATE_LIMIT:
        make_export_file(item)
    else:
        build_atlas_export.enqueue(item.pk)
        item.refresh_from_db()
    return item


def make_export_file(item: AtlasExport) -> None:
    """Renders the export's PDF and keeps it with the export; a failure marks it failed. The
    export's ``progress`` follows the rendering (the page and the API show it)."""
    shown = {"percent": item.progress}

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 99  # 100: kept, downloadable
        if percent > shown["percent"]:
            shown["percent"] = percent
            AtlasExport.objects.filter(pk=item.pk).update(progress=percent)

    try:
        pdf = atlas_pdf.render_pdf(QueryDict(item.query), item.scope, progress=progress)
    except Exception:
        logger.exception("Atlas export %s failed", item.pk)
        AtlasExport.objects.filter(pk=item.pk).update(status=AtlasExport.Status.FAILED, finished_at=timezone.now())
        raise
    item.file.save(f"atlas-cncd-{item.pk}.pdf", ContentFile(pdf), save=False)
    item.status = AtlasExport.Status.READY
    item.progress = 100
    item.finished_at = timezone.now()
    item.save(update_fields=["file", "status", "progress", "finished_at"])


def ready_context(export_id: int) -> dict:
    """The “your export is ready” message, read when it is sent."""
    item = AtlasExport.objects.select_related("owner").get(pk=export_id)
    return {
        "export": item,
        "user": item.owner,
        "download_url": site_url(reverse("api:atlas_export_pdf", kwargs={"export_id": item.pk})),
        "personal_space_url": site_url(reverse("extranet:exports")),
        "url": reverse("extranet:exports"),
    }


def filters_of(item: AtlasExport) -> list[tuple[str, str]]:
    """The filters that made the export, in words."""
    return describe_filters(QueryDict(item.query))


def delete(user: User, export_id: int) -> None:
    item = export(user, export_id)
    if item.file:
        item.file.delete(save=False)
    item.delete()


def pdf_file(user: User, export_id: int):
    item = export(user, export_id)
    if item.status != AtlasExport.Status.READY or not item.file:
        raise ExportNotReady()
    return item, item.file.open("rb")


def share_token(item: AtlasExport) -> str:
    return signed_id(item.pk, SHARE_SALT)


def shared_export(token: str) -> AtlasExport:
    """The export behind a link sent to a colleague, while the link is valid."""
    pk = id_from_signed(token, SHARE_SALT, SHARE_LINK_SECONDS, _("This link has expired or is not valid."))
    item = AtlasExport.objects.filter(pk=pk, status=AtlasExport.Status.READY).exclude(file="").first()
    if item is None:
        raise NotFound(_("This link has expired or is not valid."))
    return item


def send(user: User, export_id: int, email: str, message: str = "") -> bool:
    """Sends the PDF to a colleague with the member's message, attached when small enough,
    else as a link valid for a week. Returns whether it was attached. The member's address is
    the Reply-To, so that the colleague answers the member, not the CNCD."""
    errors: dict[str, list] = {}
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if len(message or "") > MESSAGE_MAX:
        errors["message"] = [_("The message is at most %(max)d characters.") % {"max": MESSAGE_MAX}]
    if errors:
        raise ValidationError(errors)
    item = export(user, export_id)
    if item.status != AtlasExport.Status.READY or not item.file:
        raise ExportNotReady()
    attach = item.file.size <= settings.CNCD_EXPORT_ATTACHMENT_MAX_BYTES
    mail.send(
        "extranet/email/export_shared",
        [email],
        context={
            "sender": user.get_full_name() or user.get_username(),
            "sender_email": user.email,
            "message": message.strip(),
            "attached": attach,
            "link": "" if attach else site_url(reverse("extranet:shared_export", args=[share_token(item)])),
            "link_days": SHARE_LINK_SECONDS // 86400,
        },
        context_from="extranet.exports.shared_context",
        context_args={"export_id": item.pk, "attach": attach},
        reply_to=[user.email],
    )
    return attach


def shared_context(export_id: int, attach: bool) -> dict:
    """The export sent to a colleague, read when the message is sent; its PDF attached if asked."""
    item = AtlasExport.objects.get(pk=export_id)
    attachments = []
    if attach and item.file:
        with item.file.open("rb") as handle:
            attachments.append((f"atlas-cncd-{item.pk}.pdf", handle.read(), "application/pdf"))
    return {"export": item, "filters": filters_of(item), "attachments": attachments}
