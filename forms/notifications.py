"""What the procedures' e-mails share: who is told (an authority's members, the CNCD's mailboxes)
and how. Each procedure's messages are in its room (``forms/<room>/notifications.py``); all go
through the mail room (``atlas_pages.core.mail``): queued with the change, rendered by the worker
from the records as they are then, one message per recipient, and kept as the member's notice."""

from django.conf import settings
from django.contrib.auth import get_user_model

from atlas_pages.core import mail
from extranet.models import MemberProfile


def approved_members(author, **lookups) -> list[str]:
    """The addresses of the active, approved members that match ``lookups`` on the user (for
    example an authority's code, or the embassies' group and a country: values staff verified on
    approval), and of ``author`` when active."""
    users = get_user_model().objects.filter(
        is_active=True, member_profile__status=MemberProfile.Status.APPROVED, **lookups
    )
    addresses = set(users.values_list("email", flat=True))
    if author is not None and author.is_active:
        addresses.add(author.email)
    return sorted(address for address in addresses if address)


def authority_members(item) -> list[str]:
    """Whoever files for the dossier's (or declaration's) authority, and whoever created it."""
    return approved_members(item.created_by, member_profile__organisation_code=item.authority.code)


def staff_addresses() -> list[str]:
    return [settings.CNCD_DOSSIERS_EMAIL] if settings.CNCD_DOSSIERS_EMAIL else []


def atlas_addresses() -> list[str]:
    return [settings.CNCD_ATLAS_EMAIL] if settings.CNCD_ATLAS_EMAIL else []


def tell(template: str, recipients, context_from: str, **context_args) -> int:
    """Queues ``cncd_forms/email/<template>`` for these addresses; the worker builds its context
    with ``context_from(**context_args)``."""
    return mail.send(
        f"cncd_forms/email/{template}",
        recipients,
        context_from=context_from,
        context_args=context_args,
        keep_notice=True,
    )
