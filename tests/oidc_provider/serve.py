"""Start the test OIDC provider: python tests/oidc_provider/serve.py WORKDIR CONFIG_JSON

CONFIG_JSON: {"client_id", "client_secret", "redirect_uris": [...], "claims": {username: {claim: value}}}.
Binds 127.0.0.1 on a free port, prints "PORT <n>" once ready, serves until terminated."""
import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(workdir, config_path):
    config = json.loads(Path(config_path).read_text())
    os.makedirs(workdir, exist_ok=True)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    Path(workdir, "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    app = {}
    server = make_server("127.0.0.1", 0, lambda env, start: app["wsgi"](env, start), server_class=Server,
                         handler_class=QuietHandler)
    port = server.server_port
    os.environ.update(OIDC_PROVIDER_DIR=workdir, OIDC_PROVIDER_ISSUER=f"http://127.0.0.1:{port}/o",
                      OIDC_PROVIDER_CLAIMS=json.dumps(config.get("claims", {})),
                      DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings")
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application
    call_command("migrate", verbosity=0)
    for username in config.get("claims", {}):
        get_user_model().objects.get_or_create(username=username)
    Application.objects.create(
        name="Motcua", client_id=config["client_id"], client_secret=config["client_secret"], hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]), skip_authorization=True, algorithm=Application.RS256_ALGORITHM)
    app["wsgi"] = get_wsgi_application()
    print(f"PORT {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
