"""Background work of the Atlas (django-tasks: immediate in dev and tests, a database queue
served by ``manage.py db_worker`` in production)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from atlas_pages.core.links import site_url


@task()
def build_atlas_export(export_id: int) -> None:
    """Renders a large Atlas PDF, keeps it for the member and tells them it is ready."""
    from atlas_pages.atlas.pdf import make_export_file
    from atlas_pages.models import AtlasExport

    export = AtlasExport.objects.select_related("owner").get(pk=export_id)
    make_export_file(export)

    base_url = site_url()
    context = {
        "export": export,
        "user": export.owner,
        "download_url": base_url + reverse("api:atlas_export_pdf", kwargs={"export_id": export.pk}),
        "personal_space_url": base_url + reverse("extranet:exports"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("atlas_pages/email/export_ready_subject.txt", context).strip()
        body = render_to_string("atlas_pages/email/export_ready.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [export.owner.email])
