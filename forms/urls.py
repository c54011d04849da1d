from django.urls import path

from . import views

app_name = "cncd_forms"
urlpatterns = [
    path("appels/<int:call_id>/deposer/", views.start_dossier, name="start_dossier"),
    path("dossiers/", views.dossier_list, name="dossiers"),
    path("dossiers/<int:dossier_id>/", views.dossier_page, name="dossier"),
    path("dossiers/<int:dossier_id>/modifier/", views.edit_dossier, name="edit_dossier"),
    path("dossiers/<int:dossier_id>/action/", views.dossier_action, name="dossier_action"),
]
