"""Background work of the Atlas (django-tasks: immediate in dev and tests, a database queue
served by ``manage.py db_worker`` in production)."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def build_atlas_export(export_id: int) -> None:
    """Renders a large Atlas PDF, keeps it for the member and tells them it is ready."""
    from .atlas_pdf import render_pdf
    from .models import AtlasExport

    export = AtlasExport.objects.select_related("owner").get(pk=export_id)
    try:
        pdf = render_pdf(QueryDict(export.query), export.scope)
    except Exception:
        logger.exception("Atlas export %s failed", export_id)
        AtlasExport.objects.filter(pk=export_id).update(status=AtlasExport.Status.FAILED, finished_at=timezone.now())
        raise
    export.file.save(f"atlas-cncd-{export.pk}.pdf", ContentFile(pdf), save=False)
    export.status = AtlasExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])

    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "export": export,
        "user": export.owner,
        "download_url": base_url + reverse("api:atlas_export_pdf", kwargs={"export_id": export.pk}),
        "personal_space_url": base_url + reverse("extranet:personal_space"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("atlas_pages/email/export_ready_subject.txt", context).strip()
        body = render_to_string("atlas_pages/email/export_ready.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [export.owner.email])
