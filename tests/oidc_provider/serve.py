"""Serves the test OpenID Connect provider on loopback: ``serve.py PORT CALLBACK_URL``.

Creates its database, the agents (``AGENTS``: username, e-mail, names; password ``PASSWORD``)
and the site's client application (``CLIENT_ID``/``CLIENT_SECRET``), prints ``ready`` and
serves until it is stopped."""

import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

CLIENT_ID = "cncd-a-la-carte"
CLIENT_SECRET = "secret-of-the-site-at-the-provider"
PASSWORD = "Mot-de-passe-de-l-agent-2026"
AGENTS = [
    ("agent-dakar", "camille.martin@diplomatie.gouv.fr", "Camille", "Martin"),
    ("agent-ministere", "paul.durand@finances.gouv.fr", "Paul", "Durand"),
    ("agent-prive", "lea.petit@example.org", "Léa", "Petit"),
]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    port, callback = int(sys.argv[1]), sys.argv[2]
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, email, first, last in AGENTS:
        user = get_user_model().objects.create(username=username, email=email, first_name=first, last_name=last)
        user.set_password(PASSWORD)
        user.save()
    Application.objects.create(
        name="CNCD à la carte",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=callback,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", port, get_wsgi_application(), ThreadingServer, QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
