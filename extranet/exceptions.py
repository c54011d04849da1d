from django.utils.translation import gettext_lazy as _

from atlas_pages.core.exceptions import Conflict, DomainError


class RegistrationAlreadyDecided(Conflict):
    default_message = _("This request has already been decided.")


class GroupRequestPending(Conflict):
    default_message = _("You already asked to change group; the CNCD team is verifying it.")


class ReasonRequired(DomainError):
    status_code = 422
    default_message = _("Give the reason of the rejection: the applicant will receive it.")
