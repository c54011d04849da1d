from oauth2_provider.oauth2_validators import OAuth2Validator


class AgentClaims(OAuth2Validator):
    """The claims ProConnect gives: the agent's verified address and names."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "email_verified": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "uid": "uid",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "uid": str(user.pk),
        }
