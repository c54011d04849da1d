from django.urls import path

from . import views

app_name = "cncd_forms"
urlpatterns = [
    path("dossiers/<int:dossier_id>/", views.dossier_page, name="dossier"),
]
