from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from atlas_pages.core import mail


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with a registration into an actor group that staff approve after the e-mail
    address is verified."""

    def save_user(self, request, user, form, commit=True):
        """The account and its registration are created together or not at all."""
        if not commit or "group" not in getattr(form, "cleaned_data", {}):
            return super().save_user(request, user, form, commit)
        from extranet.services import create_registration

        with transaction.atomic():
            user = super().save_user(request, user, form, commit)
            create_registration(user, form.cleaned_data)
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's mails sign with the site's name, not the bare host name, and go out through
        the mail room (queued, sent by the worker) as every other e-mail of the site."""
        domain = get_current_site(allauth_context.request).domain
        site = SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=domain)
        mail.send_rendered(self.render_mail(template_prefix, email, {"current_site": site, **context}))

    def get_login_stages(self) -> list[str]:
        return [
            *super().get_login_stages(),
            "extranet.stages.PendingApprovalStage",
            "extranet.stages.RejectedRegistrationStage",
        ]
