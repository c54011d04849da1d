"""Login stages: after the e-mail is verified, a registration still waiting for staff (or
rejected) gets its own, explained answer instead of a generic failure.

In the pages the member sees why; in the headless API the 401 lists the pending flow
``cncd_pending_approval`` or ``cncd_registration_rejected``.
"""

from allauth.account.stages import LoginStage
from django.template.response import TemplateResponse

from extranet.models import MemberProfile
from extranet.services import approval_status


class _RegistrationStage(LoginStage):
    status: str
    template_name: str

    def handle(self):
        if approval_status(self.login.user) != self.status:
            return None, True
        profile = MemberProfile.objects.select_related("actor_group__group").get(user=self.login.user)
        response = TemplateResponse(self.request, self.template_name, {"profile": profile}, status=403)
        return response, True

    def is_resumable(self, request) -> bool:
        return False


class PendingApprovalStage(_RegistrationStage):
    key = "cncd_pending_approval"
    status = MemberProfile.Status.PENDING
    template_name = "extranet/registration_pending.html"


class RejectedRegistrationStage(_RegistrationStage):
    key = "cncd_registration_rejected"
    status = MemberProfile.Status.REJECTED
    template_name = "extranet/registration_rejected.html"
