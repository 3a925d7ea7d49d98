from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class IdentityClaims(OAuth2Validator):
    """Adds the user's identity claims (CCCD number, full name, birth date) to the ID token and userinfo."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "cccd": "profile"}

    def get_additional_claims(self, request):
        return dict(settings.CLAIMS.get(request.user.username, {}))
