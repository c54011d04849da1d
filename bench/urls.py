from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cncd.urls import urlpatterns as site_urlpatterns

stock = WagtailAPIRouter("wagtailapi")
stock.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [path("api/v2/", stock.urls), *site_urlpatterns]
