"""Background work of the teleprocedures (django-tasks). In production the task is a row of
the database queue written in the same transaction as the change it tells about: a change
that fails sends nothing, and the e-mail does not hold the dossier while it is sent."""

from django_tasks import task


@task()
def send_procedure_mail(template: str, recipients: list[str], dossier_id: int, opinion_id: int | None = None, **flags):
    from . import notifications
    from .models import Dossier, Opinion

    dossier = Dossier.objects.select_related("call", "authority", "partner_country").get(pk=dossier_id)
    context = {"dossier": dossier, "url": notifications.dossier_url(dossier), **flags}
    if opinion_id is not None:
        context["opinion"] = Opinion.objects.get(pk=opinion_id)
    notifications.send(template, recipients, context)
