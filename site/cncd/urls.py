from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from atlas_pages.editorial import views as atlas_views
from atlas_pages.editorial.sitemap import SiteSitemap
from cncd import allauth_spec
from cncd.api import api, not_found
from cncd.health import healthz
from cncd.language import set_language
from extranet.views import RegistrationView, admin_login
from newsletter import views as newsletter_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/login/", admin_login, name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("api/<path:rest>", not_found),
    path("accounts/signup/", RegistrationView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("_allauth/openapi.json", allauth_spec.openapi_json),
    path("_allauth/openapi.yaml", allauth_spec.openapi_yaml),
    path("_allauth/", include("allauth.headless.urls")),
    path("espace-personnel/lettre/", newsletter_views.member, name="newsletter_member"),
    path("espace-personnel/", include("extranet.urls")),
    path("lettre-information/", include("newsletter.urls")),
    path("teleprocedures/", include("forms.urls")),
    path("recherche/", atlas_views.search, name="search"),
    path("apercu/", atlas_views.preview, name="preview"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The pages: French at the root, English under /en/ (cncd.middleware.SiteLanguage).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
