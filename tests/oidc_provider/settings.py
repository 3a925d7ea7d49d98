"""A real OpenID Connect provider for the identity tests: django-oauth-toolkit with OIDC on, in its own
process and its own SQLite database (tests/oidc_provider/serve.py starts it). Not part of Motcua."""
import json
import os

SECRET_KEY = "oidc-provider-test-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "tests.oidc_provider.urls"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "oauth2_provider"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join(os.environ["OIDC_PROVIDER_DIR"], "provider.sqlite3")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
with open(os.path.join(os.environ["OIDC_PROVIDER_DIR"], "key.pem")) as fh:
    _KEY = fh.read()
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _KEY,
    "OIDC_ISS_ENDPOINT": os.environ["OIDC_PROVIDER_ISSUER"],
    "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, ngày sinh, số định danh"},
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.IdentityClaims",
    "PKCE_REQUIRED": True,
}
# per-user identity claims the provider vouches for (as an identity app would from its register)
CLAIMS = json.loads(os.environ.get("OIDC_PROVIDER_CLAIMS", "{}"))
