"""Background work of the personal space (django-tasks: immediate in dev and tests, a database
queue served by ``manage.py db_worker`` in production)."""

from django_tasks import task

from atlas_pages.core import mail


@task()
def build_atlas_export(export_id: int) -> None:
    """Renders a large Atlas PDF, keeps it for the member and tells them it is ready."""
    from extranet.exports import make_export_file
    from extranet.models import AtlasExport

    item = AtlasExport.objects.select_related("owner").get(pk=export_id)
    make_export_file(item)
    mail.send(
        "extranet/email/export_ready",
        [item.owner.email],
        context_from="extranet.exports.ready_context",
        context_args={"export_id": item.pk},
        keep_notice=True,
    )


@task()
def send_due_alerts() -> int:
    """The week's e-mails of the Atlas search alerts that have something new (each once)."""
    from extranet.alerts import send_due

    return send_due()


@task()
def send_space_digests() -> int:
    """The week's e-mails of the thematic spaces to the members who follow something (each once)."""
    from extranet.spaces.digest import send_due

    return send_due()
