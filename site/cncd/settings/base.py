"""Settings shared by every environment; dev, test and production refine them."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/cncd
SITE_DIR = PROJECT_DIR.parent  # site
BASE_DIR = SITE_DIR.parent  # the repository

env = environ.Env()

# Which settings module is in force ("development", "test" or "production"): commands that must
# not run in production (load_demo) read it.
CNCD_ENVIRONMENT = "development"

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # CNCD à la carte plugins, in dependency order (load_demo follows it).
    "atlas_pages",
    "extranet",
    "forms",
    "newsletter",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtailgeowidget",
    "modelcluster",
    "taggit",
    "django_filters",
    # API, accounts, tasks, design system
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.headless",
    "django_tasks",
    "django_tasks_db",
    "dsfr",
    "widget_tweaks",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cncd.middleware.ExactVary",
    "csp.middleware.CSPMiddleware",
    "cncd.middleware.FramedPreviews",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cncd.middleware.SiteLanguage",
    "cncd.middleware.ApiLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cncd.middleware.RejectNullCharacters",
    "cncd.middleware.PrivateAnswers",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "extranet.mfa.RequireMultiFactor",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content Security Policy of the front end (django-csp): its own scripts only, its own styles
# (and the style attributes the DSFR's script sets), map tiles from CNCD_MAP_TILES' host,
# never framed. The Wagtail admin and the API's docs, which
# need inline scripts, are left to their own defences (login, X-Frame-Options).
# No tile server by default: the maps draw the countries the site ships (Natural Earth). A tile
# server's URL template adds its tiles (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png).
CNCD_MAP_TILES = env("CNCD_MAP_TILES", default="")
CNCD_MAP_ATTRIBUTION = env("CNCD_MAP_ATTRIBUTION", default="© OpenStreetMap")
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The DSFR's own script sets style attributes (menus, accordions): styles may be inline,
        # scripts never.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *(["/".join(CNCD_MAP_TILES.split("/")[:3])] if CNCD_MAP_TILES else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "cncd.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "OPTIONS": {
            # The site's own templates, then each app's, then each room's (<app>/<room>/templates/,
            # atlas_pages.core.templates), all cached.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                        "atlas_pages.core.templates.RoomsLoader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "cncd.wsgi.application"

# The embedded default is SQLite in the repository; DATABASE_URL switches (postgres://...).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the site, the task worker and the newsletter's sending
    # threads at once: write-ahead log, and transactions that take the write lock at their
    # start (no “database is locked” when two writers meet).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One backend for every door (allauth, its headless API, the admin, sessions and app tokens):
# allauth's (username or e-mail), refusing inactive accounts and registrations staff have not
# approved (extranet/backends.py).
AUTHENTICATION_BACKENDS = ["extranet.backends.ApprovedAccountsBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Internationalisation: French by default, English available; msgids are English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# Pages in French and English (wagtail-localize: README, “Content in two languages”). French is
# the source; the English tree is kept in step with it (LocaleSynchronization, created by
# atlas_pages' migration 0014): a page not translated yet is there as an alias of the French one.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files no URL serves (dossiers' documents): the application hands them out after checking who asks.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Uploads are judged by their content (atlas_pages.core.uploads) and capped at this size.
CNCD_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work: django-tasks. Immediate in dev and tests, database queue in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# /healthz answers 503 when the oldest task waiting in the queue is older than this (seconds):
# no worker is consuming it.
CNCD_HEALTHZ_MAX_TASK_AGE = env.int("CNCD_HEALTHZ_MAX_TASK_AGE", default=300)

# HTTP caching of the API (atlas_pages.core.http_cache): how long a shared cache may keep an
# answer that is the same for everyone, and how long the server keeps it under its ETag.
CNCD_API_MAX_AGE = env.int("CNCD_API_MAX_AGE", default=60)
CNCD_API_KEEP_SECONDS = env.int("CNCD_API_KEEP_SECONDS", default=3600)

# Publish webhooks (atlas_pages.core.webhooks): staff register the endpoints in the admin. A
# failed delivery is retried after each of these delays (seconds), then given up.
CNCD_WEBHOOKS_ENABLED = env.bool("CNCD_WEBHOOKS_ENABLED", default=True)
CNCD_WEBHOOK_RETRIES = [
    int(value) for value in env.list("CNCD_WEBHOOK_RETRIES", default=["30", "120", "600", "3600", "21600"])
]
CNCD_WEBHOOK_TIMEOUT = env.float("CNCD_WEBHOOK_TIMEOUT", default=10.0)
CNCD_WEBHOOK_REQUIRE_HTTPS = env.bool("CNCD_WEBHOOK_REQUIRE_HTTPS", default=False)

# E-mail: account mail and newsletter mail leave from different addresses.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CNCD à la carte <ne-pas-repondre@cncd.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Members' accounts unused this long are warned by e-mail, then deleted after the notice
# (manage.py prune_inactive_accounts, daily).
CNCD_ACCOUNT_RETENTION_DAYS = env.int("CNCD_ACCOUNT_RETENTION_DAYS", default=3 * 365)
CNCD_ACCOUNT_RETENTION_NOTICE_DAYS = env.int("CNCD_ACCOUNT_RETENTION_NOTICE_DAYS", default=30)
# The key of the dossiers' chained histories (HMAC): kept outside the database, so that who can
# write to the database cannot forge an entry. Empty: derived from SECRET_KEY (check --deploy
# warns). Never change it once histories exist (forms/history.py).
CNCD_HISTORY_KEY = env("CNCD_HISTORY_KEY", default="")
# The DAECT's mailbox for co-financing dossiers: told when a dossier is filed or an opinion given.
CNCD_DOSSIERS_EMAIL = env("CNCD_DOSSIERS_EMAIL", default="cofinancements@cncd.example.org")
# The Atlas's moderators: told when a member proposes an update of the Atlas.
CNCD_ATLAS_EMAIL = env("CNCD_ATLAS_EMAIL", default="atlas@cncd.example.org")
# Who publishes the e-APD's IATI file: its IATI organisation identifier (registration agency
# prefix + number) and name. Set the ref to the one the IATI registry gave before publishing.
CNCD_IATI_REPORTING_ORG = {
    "ref": env("CNCD_IATI_REPORTING_ORG_REF", default="FR-CNCD"),
    "name": "Commission nationale de la coopération décentralisée",
}
NEWSLETTER_FROM_EMAIL = env(
    "NEWSLETTER_FROM_EMAIL", default="Lettre de la coopération décentralisée <lettre@cncd.example.org>"
)
# The newsletter: its list identity (List-Id, RFC 2919), where mail clients unsubscribe by
# e-mail, how long a confirmation link lasts, and how it is sent (see newsletter/sending.py).
NEWSLETTER_LIST_ID = env(
    "NEWSLETTER_LIST_ID", default="Lettre de la cooperation decentralisee <lettre.cncd.example.org>"
)
NEWSLETTER_UNSUBSCRIBE_MAILTO = env("NEWSLETTER_UNSUBSCRIBE_MAILTO", default="desinscription@cncd.example.org")
NEWSLETTER_MESSAGE_ID_DOMAIN = env("NEWSLETTER_MESSAGE_ID_DOMAIN", default="cncd.example.org")
NEWSLETTER_CONFIRM_DAYS = 7
NEWSLETTER_EMAIL_BACKEND = env("NEWSLETTER_EMAIL_BACKEND", default=None)  # None: EMAIL_BACKEND
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=200)  # messages per SMTP connection
NEWSLETTER_CONNECTIONS = env.int("NEWSLETTER_CONNECTIONS", default=8)  # SMTP connections at once
NEWSLETTER_FLUSH_EVERY = env.int("NEWSLETTER_FLUSH_EVERY", default=20)  # deliveries marked sent at once
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=0)  # 0: as fast as SMTP takes
NEWSLETTER_MAX_ATTEMPTS = 5
NEWSLETTER_RETRY_SECONDS = 60  # then 120, 240… between attempts after a transient failure
NEWSLETTER_CLAIM_SECONDS = 600  # a batch held longer than this was left by a dead worker
NEWSLETTER_TASK_SECONDS = 240  # a sending task hands over to a new one after this

# Wagtail
WAGTAIL_SITE_NAME = "CNCD à la carte"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The admin's login and password reset are allauth's (rate-limited, approval and MFA enforced):
# /admin/login/ leads there (extranet.views.admin_login).
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Draft preview (wagtail-headless-preview): the admin's Preview shows the draft as the front end
# renders it. CNCD_PREVIEW_URL is an outside front end's preview address (it is given
# ?content_type=&token= and asks /api/pages/preview/ for the draft); unset, the reference front
# end's /apercu/. A token is signed and lives CNCD_PREVIEW_MAX_AGE seconds.
CNCD_PREVIEW_URL = env("CNCD_PREVIEW_URL", default="")
CNCD_PREVIEW_MAX_AGE = env.int("CNCD_PREVIEW_MAX_AGE", default=3600)
WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {"default": CNCD_PREVIEW_URL or "/apercu/"}, "REDIRECT_ON_PREVIEW": False}

# django-allauth: accounts and its headless API (browser and app clients).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "extranet.adapter.AccountAdapter"
# The registration into a group (extra fields, rules per group); also the headless signup input.
ACCOUNT_SIGNUP_FORM_CLASS = "extranet.forms.RegistrationForm"
# Verifying the address continues the signup's login, so the member learns at once that the
# registration now waits for staff (only in the session that signed up).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one once verified
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the member when their e-mail or password changes
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CNCD à la carte] "
# Required fields carry the DSFR's asterisk, explained once above the form (cncd_forms.required_note);
# optional ones carry nothing, so a search form of optional filters reads plainly.
DSFR_MARK_OPTIONAL_FIELDS = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # A member e-mailing one of their Atlas exports to a colleague.
    "send_export": "10/h/user",
    # Newsletter subscriptions from the public form: per address and per visitor.
    "newsletter_subscribe": "30/h/ip,3/h/key",
}
# The Atlas's PDF is made inside the request up to this many projects (a few seconds), in the
# background above; and asked for at most so often by one visitor.
CNCD_PDF_IMMEDIATE_LIMIT = env.int("CNCD_PDF_IMMEDIATE_LIMIT", default=300)
ACCOUNT_RATE_LIMITS["atlas_pdf"] = "10/m/ip,60/h/ip"
ACCOUNT_RATE_LIMITS["atlas_open_data"] = "20/m/ip,200/h/ip"  # CSV, JSON and IATI files of the Atlas
# What a member writes in the thematic spaces (discussions and replies), and their reports.
ACCOUNT_RATE_LIMITS["space_post"] = "10/m/user,100/h/user"
ACCOUNT_RATE_LIMITS["space_report"] = "20/h/user"
# An Atlas export e-mailed to a colleague is attached up to this size, else sent as a link.
CNCD_EXPORT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Multi-factor authentication (allauth's mfa): an authenticator app (TOTP) and recovery codes,
# in the pages (/accounts/2fa/) and the headless API. Required for staff and editors, and for the
# actor groups named in CNCD_MFA_REQUIRED_GROUPS; offered to every other member.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CNCD à la carte"
CNCD_MFA_REQUIRED_FOR_STAFF = True
CNCD_MFA_REQUIRED_GROUPS: list[str] = env.list("CNCD_MFA_REQUIRED_GROUPS", default=[])
# State agents' single sign-on: ProConnect, the State's OpenID Connect federation, through
# allauth's openid_connect provider, configured by the environment (absent when unset). An
# agent's first login goes through the registration form (group and details), then the queue;
# an agent whose verified address is in one of CNCD_STATE_DOMAINS' domains for the group asked
# may be approved at once if CNCD_STATE_AUTO_APPROVE says so (extranet/sso.py).
PROCONNECT_SERVER_URL = env("PROCONNECT_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "proconnect",
                "name": "ProConnect",
                "client_id": env("PROCONNECT_CLIENT_ID", default=""),
                "secret": env("PROCONNECT_SECRET", default=""),
                "settings": {
                    "server_url": PROCONNECT_SERVER_URL,
                    "oauth_pkce_enabled": True,
                    "scope": ["openid", "email", "given_name", "usual_name", "uid"],
                },
            }
        ]
        if PROCONNECT_SERVER_URL
        else [],
    }
}
SOCIALACCOUNT_ADAPTER = "extranet.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False  # every agent says which group they join, as at registration
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
CNCD_STATE_DOMAINS: dict[str, list[str]] = {
    "ambassades": env.list("CNCD_STATE_DOMAINS_AMBASSADES", default=["diplomatie.gouv.fr"]),
    "prefectures": env.list("CNCD_STATE_DOMAINS_PREFECTURES", default=["interieur.gouv.fr"]),
    "ministeres-operateurs": env.list("CNCD_STATE_DOMAINS_MINISTERES", default=["gouv.fr"]),
}
CNCD_STATE_AUTO_APPROVE: list[str] = env.list("CNCD_STATE_AUTO_APPROVE", default=[])
HEADLESS_ONLY = False
# allauth's own OpenAPI specification of signup, login, e-mail verification, password reset and
# MFA: /_allauth/openapi.json (and .yaml), shown at /_allauth/openapi.html with the Swagger UI
# django-ninja ships (no CDN); /api/docs links it.
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "cncd/allauth_openapi.html"
HEADLESS_CLIENTS = ("browser", "app")

# Headless API
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # "actualites", not "actualités", in URLs
