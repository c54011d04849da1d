"""Background work of the teleprocedures (django-tasks). In production the task is a row of
the database queue written in the same transaction as the change it tells about: a change
that fails sends nothing, and the e-mail does not hold the dossier while it is sent."""

from django_tasks import task


@task()
def send_procedure_mail(template: str, recipients: list[str], dossier_id: int, opinion_id: int | None = None, **flags):
    from forms import notifications
    from forms.models import Dossier, Opinion

    dossier = Dossier.objects.select_related("call", "authority", "partner_country").get(pk=dossier_id)
    context = {"dossier": dossier, "url": notifications.dossier_url(dossier), **flags}
    if opinion_id is not None:
        context["opinion"] = Opinion.objects.get(pk=opinion_id)
    notifications.send(template, recipients, context)


@task()
def send_apd_mail(template: str, recipients: list[str], declaration_id: int, receipt: bool = False):
    from forms import notifications
    from forms.models import ApdDeclaration

    declaration = ApdDeclaration.objects.select_related("campaign", "authority").get(pk=declaration_id)
    attachments = ()
    if receipt and declaration.receipt:
        with declaration.receipt.open("rb") as handle:
            attachments = ((f"{declaration.reference}.pdf", handle.read(), "application/pdf"),)
    context = {"declaration": declaration, "url": notifications.declaration_url(declaration)}
    notifications.send(template, recipients, context, attachments)


@task()
def send_atlas_update_mail(template: str, recipients: list[str], update_id: int):
    from forms import atlas_updates, notifications
    from forms.models import AtlasUpdate

    update = AtlasUpdate.objects.select_related("project", "proposed_by").get(pk=update_id)
    context = {
        "update": update,
        "differences": atlas_updates.diff([update])[update.pk],
        "url": notifications.atlas_update_url(update),
    }
    notifications.send(template, recipients, context)


@task()
def send_bourse_mail(template: str, recipients: list[str], entry_id: int, interest_id: int | None = None):
    from atlas_pages.models import BourseProject
    from forms import notifications
    from forms.models import BourseInterest

    entry = BourseProject.objects.select_related("country", "partner_authority", "recorded_by").get(pk=entry_id)
    context = {"entry": entry, "url": notifications.bourse_url(entry)}
    if interest_id is not None:
        context["interest"] = BourseInterest.objects.select_related("authority", "user").get(pk=interest_id)
    notifications.send(template, recipients, context)
