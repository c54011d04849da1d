"""Checks the site served with production settings over HTTP, as a visitor and a load balancer
would (called by .ci/production with the base URL). Standard library only.

Every request says it came through the HTTPS reverse proxy (X-Forwarded-Proto), as in the
README's deployment. Prints one line per check; exits 1 at the first that fails.
"""

import base64
import hashlib
import hmac
import json
import mailbox
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE = sys.argv[1].rstrip("/")
PROXY = {"X-Forwarded-Proto": "https", "Accept-Language": "fr"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(path: str, *, data: bytes | None = None, headers: dict | None = None, follow: bool = True):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(BASE + path, data=data, headers={**PROXY, **(headers or {})})
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check(label: str, condition: bool, detail: str = "") -> None:
    print(f"  {'ok  ' if condition else 'FAIL'} {label}{(' — ' + detail) if detail and not condition else ''}")
    if not condition:
        sys.exit(1)


def page(label: str, path: str, marker: str, status: int = 200) -> bytes:
    code, headers, body = fetch(path)
    text = body.decode("utf-8", "replace")
    check(
        f"{label} ({path}) answers {status}",
        code == status and "text/html" in headers.get("Content-Type", "") and marker in text,
        f"{code} {headers.get('Content-Type')} {text[:300]!r}",
    )
    return body


def first_url(page_type: str) -> str:
    code, _headers, body = fetch(f"/api/pages/?type={page_type}&limit=1")
    check(f"the pages API lists a {page_type}", code == 200, f"{code} {body[:200]!r}")
    items = json.loads(body)["items"]
    check(f"the demo has a {page_type}", bool(items))
    return items[0]["url"]


def wait_until_served() -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            code, _headers, body = fetch("/healthz")
            if code == 200:
                break
        except OSError:
            code, body = None, b""
        if time.monotonic() > deadline:
            check("/healthz answers 200 within a minute", False, f"{code} {body[:300]!r}")
        time.sleep(0.5)
    health = json.loads(body)
    check("/healthz: database, cache and task queue are ok", health["status"] == "ok", str(health))
    check("/healthz says no more than the state of each check", "postgres" not in body.decode().lower())


def shell(code: str) -> str:
    """Runs Python in ``manage.py shell`` with the deployment's environment (what staff or a
    job would do), and gives back what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code], capture_output=True, text=True, timeout=120
    )
    check("manage.py shell ran", result.returncode == 0, result.stderr[-800:])
    return result.stdout.strip()


def http_caching() -> None:
    """Two gunicorn workers share one cache: the same validator from either, a 304 from either,
    and a change in the Atlas seen by both."""
    path = "/api/atlas/facets/?continent=afrique"
    etags = {fetch(path)[1].get("ETag") for _ in range(4)}
    check(
        "the Atlas's answers carry one ETag whichever worker answers", len(etags) == 1 and None not in etags, str(etags)
    )
    etag = etags.pop()
    codes = {fetch(path, headers={"If-None-Match": etag})[0] for _ in range(4)}
    check("a conditional request gets 304 from every worker", codes == {304}, str(codes))
    _code, headers, _body = fetch(path)
    check(
        "the Atlas's answers are public with an exact Vary",
        headers.get("Cache-Control", "").startswith("public") and headers.get("Vary") == "Accept-Language",
        f"{headers.get('Cache-Control')} / {headers.get('Vary')}",
    )
    shell("from atlas_pages.models import Project; p = Project.objects.order_by('pk').first(); p.save()")
    codes = {fetch(path, headers={"If-None-Match": etag})[0] for _ in range(4)}
    check("after a change in the Atlas, no worker answers 304 to the old ETag", codes == {200}, str(codes))


def webhooks() -> None:
    """An endpoint registered, a page published: the worker POSTs the signed payload."""
    received: list[tuple[dict, bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(
                ({k.lower(): v for k, v in self.headers.items()}, self.rfile.read(int(self.headers["Content-Length"])))
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = shell(
        "from atlas_pages.models import WebhookEndpoint;"
        f"e = WebhookEndpoint.objects.create(name='CI', url='http://127.0.0.1:{server.server_port}/hook',"
        " events=['page.published']); print(e.secret)"
    )
    page_id = shell(
        "from atlas_pages.models import ArticlePage; p = ArticlePage.objects.live().first();"
        " p.save_revision().publish(); print(p.pk)"
    )
    deadline = time.monotonic() + 60
    while not received and time.monotonic() < deadline:
        time.sleep(0.5)
    server.shutdown()
    check("the worker POSTed the page.published webhook", bool(received))
    headers, body = received[0]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    check("its signature checks with the endpoint's secret", headers.get("webhook-signature") == expected)
    check("it names the published page", json.loads(body)["items"][0]["id"] == int(page_id), body[:300].decode())


def main() -> None:
    print(f"production checks against {BASE}")
    wait_until_served()

    home = page("the home page", "/", "CNCD").decode()
    rubric = first_url("atlas_pages.RubricIndexPage")
    page("a rubric", rubric, "<h1")
    article = first_url("atlas_pages.ArticlePage")
    page("an article", article, "<h1")
    atlas = first_url("atlas_pages.AtlasPage")
    page("the Atlas page", atlas, "<h1")
    code, _headers, body = fetch("/api/atlas/projects/?limit=1")
    check("the Atlas API answers", code == 200, f"{code} {body[:200]!r}")
    project = json.loads(body)["items"][0]
    page("a project sheet", f"{atlas}projet/{project['id']}/", project["title"][:20])
    page("the admin login", "/admin/login/", 'type="password"')
    page("the API docs", "/api/docs", "openapi.json")
    page("a page that does not exist", f"/pas-de-page-{uuid.uuid4().hex[:8]}/", "introuvable", status=404)

    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)
    check("the home page links a hashed stylesheet (manifest storage)", stylesheet is not None)
    code, headers, body = fetch(stylesheet.group(1))
    check(
        f"the static file {stylesheet.group(1)} is served, cached for good",
        code == 200 and "text/css" in headers.get("Content-Type", "") and "max-age" in headers.get("Cache-Control", ""),
        f"{code} {dict(headers)}",
    )
    code, _headers, _body = fetch("/healthz", headers={"X-Forwarded-Proto": "http"}, follow=False)
    check("/healthz over plain HTTP is not redirected (the load balancer's probe)", code == 200, str(code))

    # A task: the newsletter's confirmation e-mail is queued by the web process and sent by the
    # worker to the SMTP sink. No cookie, no CSRF token: a public endpoint.
    address = f"ci-{uuid.uuid4().hex[:10]}@example.org"
    code, _headers, body = fetch(
        "/api/newsletter/subscriptions/",
        data=json.dumps({"email": address}).encode(),
        headers={"Content-Type": "application/json"},
    )
    check("an anonymous subscription without cookies is accepted (202)", code == 202, f"{code} {body[:300]!r}")
    maildir = mailbox.Maildir(os.environ["CNCD_CI_MAILDIR"], create=True)
    deadline, found = time.monotonic() + 60, None
    while found is None and time.monotonic() < deadline:
        found = next((message for message in maildir if address in (message["To"] or "")), None)
        time.sleep(0.5)
    check("the worker sent the confirmation e-mail to the SMTP sink", found is not None)
    text = found.get_payload(decode=True) if not found.is_multipart() else found.get_payload(0).get_payload(decode=True)
    check(
        "its link points to the address the site is served on",
        f"{os.environ['WAGTAILADMIN_BASE_URL']}/lettre-information/" in text.decode("utf-8", "replace"),
        text[:400].decode("utf-8", "replace"),
    )
    http_caching()
    webhooks()
    code, _headers, body = fetch("/healthz")
    check("/healthz: the queue is drained", code == 200, body.decode())
    print("production checks: all passed")


if __name__ == "__main__":
    main()
