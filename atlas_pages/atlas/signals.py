"""Keep each project's folded search text in step with what editors change in the admin:
its own fields, its authorities, and the names of those authorities."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas.fulltext import stems
from atlas_pages.atlas.models import FrenchAuthority, PartnerAuthority, Project
from atlas_pages.core.webhooks.services import announce

ATLAS_ANSWERS = ["/api/atlas/projects/", "/api/atlas/facets/", "/api/atlas/projects.geojson", "/api/atlas/countries/"]


def announce_projects(event: str, projects: list[tuple[int, str]], **extra) -> None:
    """A webhook event for these (id, title) projects: what to revalidate, never more."""
    items = [(pk, {"id": pk, "title": title, "api": f"/api/atlas/projects/{pk}/", **extra}) for pk, title in projects]
    announce(event, items, [*ATLAS_ANSWERS, *(described["api"] for _pk, described in items)])


def remember_status(sender, instance: Project, raw=False, **kwargs) -> None:
    """The status before the save, to tell when a project ends."""
    if not raw and instance.pk:
        instance._status_before = Project.objects.filter(pk=instance.pk).values_list("status", flat=True).first()


def refresh_projects(project_ids) -> None:
    atlas_index.bump()
    projects = list(
        Project.objects.filter(pk__in=list(project_ids))
        .select_related("country")
        .prefetch_related("french_authorities", "partner_authorities")
    )
    for project in projects:
        project.search_text = project.build_search_text()
        project.search_stems = stems(project.search_text)
    Project.objects.bulk_update(projects, ["search_text", "search_stems"], batch_size=500)


def on_project_saved(sender, instance: Project, raw=False, created=False, update_fields=None, **kwargs) -> None:
    if raw or update_fields == frozenset({"search_text"}):
        return
    refresh_projects([instance.pk])
    announce_projects("atlas.project.created" if created else "atlas.project.changed", [(instance.pk, instance.title)])
    before = getattr(instance, "_status_before", None)
    if instance.status == Project.Status.COMPLETED and before not in (None, Project.Status.COMPLETED):
        announce_projects("atlas.project.ended", [(instance.pk, instance.title)], removed=False)


def on_project_deleted(sender, instance: Project, **kwargs) -> None:
    atlas_index.bump()
    announce_projects("atlas.project.ended", [(instance.pk, instance.title)], removed=True)


def on_authorities_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_projects([instance.pk])
    else:
        refresh_projects(instance.projects.values_list("pk", flat=True))


def on_authority_renamed(sender, instance, raw=False, created=False, **kwargs) -> None:
    if not raw and not created:
        refresh_projects(instance.projects.values_list("pk", flat=True))


def on_atlas_changed(sender, **kwargs) -> None:
    atlas_index.bump()


def connect() -> None:
    post_save.connect(on_project_saved, sender=Project, dispatch_uid="cncd-atlas-project-text")
    pre_save.connect(remember_status, sender=Project, dispatch_uid="cncd-atlas-project-status")
    post_delete.connect(on_project_deleted, sender=Project, dispatch_uid="cncd-atlas-project-deleted")
    m2m_changed.connect(on_atlas_changed, sender=Project.themes.through, dispatch_uid="cncd-atlas-themes")
    for model, through in (
        (FrenchAuthority, Project.french_authorities.through),
        (PartnerAuthority, Project.partner_authorities.through),
    ):
        m2m_changed.connect(on_authorities_changed, sender=through, dispatch_uid=f"cncd-atlas-{model.__name__}-links")
        post_save.connect(on_authority_renamed, sender=model, dispatch_uid=f"cncd-atlas-{model.__name__}-name")
