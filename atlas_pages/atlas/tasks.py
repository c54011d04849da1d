"""The Atlas's background work."""

from django_tasks import task

from atlas_pages.atlas import index


@task()
def build_index() -> None:
    """The index of the Atlas as it now stands, built and kept in the shared cache before any
    search asks for it."""
    index.current()
