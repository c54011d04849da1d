from django.urls import path

from . import views

app_name = "extranet"
urlpatterns = [
    path("", views.personal_space, name="personal_space"),
    path("informations-personnelles/", views.profile, name="profile"),
    path("changement-de-groupe/", views.change_group, name="change_group"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", views.download_my_data, name="download_my_data"),
    path("mes-donnees/supprimer-mon-compte/", views.delete_account, name="delete_account"),
]
