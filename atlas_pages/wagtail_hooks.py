"""Wagtail finds an app's hooks in ``<app>.wagtail_hooks``: each room registers its own."""

from atlas_pages.atlas import wagtail_hooks as atlas_hooks  # noqa: F401
from atlas_pages.core.webhooks import admin as webhook_admin  # noqa: F401
from atlas_pages.editorial import wagtail_hooks as editorial_hooks  # noqa: F401
