"""The member's saved PDF exports of the Atlas: kept, listed, downloaded, deleted, and sent to
a colleague (“l'adresser par courriel à un ami”), attached or by an expiring link."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import pdf as atlas_pdf
from atlas_pages.atlas.pdf import describe_filters
from atlas_pages.core.exceptions import Conflict, NotFound
from atlas_pages.core.links import site_url
from atlas_pages.models import AtlasExport

MESSAGE_MAX = 1000
#: A link sent to a colleague opens the PDF for this long (seconds).
SHARE_LINK_SECONDS = 7 * 24 * 3600
SHARE_SALT = "cncd.export.share"


class ExportNotReady(Conflict):
    default_message = _("This export is not ready yet.")


def exports(user: AbstractBaseUser) -> QuerySet[AtlasExport]:
    """The member's exports, newest first."""
    return AtlasExport.objects.filter(owner=user).order_by("-created_at", "-pk")


def export(user: AbstractBaseUser, export_id: int) -> AtlasExport:
    found = AtlasExport.objects.filter(owner=user, pk=export_id).first()
    if found is None:
        raise NotFound()  # someone else's export is not found either
    return found


def keep(user: AbstractBaseUser, params, scope: str = "country") -> AtlasExport:
    """“Exporter les résultats en pdf” into the personal space (filters checked, named on error)."""
    if scope not in AtlasExport.Scope.values:
        raise ValidationError({"scope": [_("Choose country or continent.")]})
    return atlas_pdf.keep_export(user, params, scope)


def filters_of(item: AtlasExport) -> list[tuple[str, str]]:
    """The filters that made the export, in words."""
    return describe_filters(QueryDict(item.query))


def delete(user: AbstractBaseUser, export_id: int) -> None:
    item = export(user, export_id)
    if item.file:
        item.file.delete(save=False)
    item.delete()


def pdf_file(user: AbstractBaseUser, export_id: int):
    item = export(user, export_id)
    if item.status != AtlasExport.Status.READY or not item.file:
        raise ExportNotReady()
    return item, item.file.open("rb")


def share_token(item: AtlasExport) -> str:
    return signing.dumps(item.pk, salt=SHARE_SALT)


def shared_export(token: str) -> AtlasExport:
    """The export behind a link sent to a colleague, while the link is valid."""
    try:
        pk = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_LINK_SECONDS)
    except signing.BadSignature as error:
        raise NotFound(_("This link has expired or is not valid.")) from error
    item = AtlasExport.objects.filter(pk=pk, status=AtlasExport.Status.READY).exclude(file="").first()
    if item is None:
        raise NotFound(_("This link has expired or is not valid."))
    return item


def send(user: AbstractBaseUser, export_id: int, email: str, message: str = "") -> bool:
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
    base_url = site_url()
    context = {
        "sender": user.get_full_name() or user.get_username(),
        "sender_email": user.email,
        "message": message.strip(),
        "export": item,
        "filters": filters_of(item),
        "attached": attach,
        "link": "" if attach else base_url + reverse("extranet:shared_export", args=[share_token(item)]),
        "link_days": SHARE_LINK_SECONDS // 86400,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("extranet/email/export_shared_subject.txt", context).strip()
        body = render_to_string("extranet/email/export_shared.txt", context)
    mail = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [email], reply_to=[user.email] if user.email else []
    )
    if attach:
        with item.file.open("rb") as handle:
            mail.attach(f"atlas-cncd-{item.pk}.pdf", handle.read(), "application/pdf")
    mail.send()
    return attach
