"""Back-office of the extranet: the history of registration decisions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def registration_log_actions(actions):
    actions.register_action("cncd.registration.approve", _("Approve registration"), _("Registration approved"))
    actions.register_action("cncd.registration.reject", _("Reject registration"), _("Registration rejected"))
