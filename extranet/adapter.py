from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with staff approval of registrations after e-mail verification."""

    def get_login_stages(self) -> list[str]:
        return [
            *super().get_login_stages(),
            "extranet.stages.PendingApprovalStage",
            "extranet.stages.RejectedRegistrationStage",
        ]
