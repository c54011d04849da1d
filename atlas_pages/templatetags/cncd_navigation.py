from django import template
from django.utils.safestring import mark_safe

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.editorial import services

register = template.Library()


@register.inclusion_tag("atlas_pages/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    current = context.get("page")
    items = services.main_menu(services.site_for(request)) if request else []
    current_path = getattr(current, "path", "")
    return {
        "items": [
            {"page": item, "active": bool(current_path) and current_path.startswith(item.path)} for item in items
        ],
        "request": request,
    }


@register.inclusion_tag("atlas_pages/includes/breadcrumb.html", takes_context=True)
def breadcrumb(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or page.depth <= 2:
        return {"crumbs": [], "current": None}
    return {"crumbs": services.breadcrumb(page, services.site_for(request)), "current": page}


@register.simple_tag(takes_context=True)
def contact_details(context):
    return services.contact_details(context.get("request"))


@register.simple_tag(takes_context=True)
def plugin_blocks(context, hook_name: str, subject=None):
    """What other plugins add to a page of this app (the bookmark button of an article, the
    buttons under the Atlas map) through a Wagtail hook ``fn(request, subject) -> str`` that
    renders and escapes its own HTML: this app needs none of them to be installed."""
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe(  # noqa: S308
        "".join(str(render(request, subject) or "") for render in cncd_hooks.implementations(hook_name))
    )
