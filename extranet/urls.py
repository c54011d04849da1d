from django.urls import path

from extranet import views
from extranet.spaces import views as space_views

app_name = "extranet"
urlpatterns = [
    path("", views.personal_space, name="personal_space"),
    path("informations-personnelles/", views.profile, name="profile"),
    path("changement-de-groupe/", views.change_group, name="change_group"),
    path("ma-selection/", views.selection, name="selection"),
    path("ma-selection/ajouter/", views.add_bookmark, name="add_bookmark"),
    path("ma-selection/<int:bookmark_id>/", views.change_bookmark, name="change_bookmark"),
    path("mes-cartes/", views.map_albums, name="albums"),
    path("mes-cartes/enregistrer/", views.save_map, name="save_map"),
    path("mes-cartes/album/<int:album_id>/", views.change_album, name="change_album"),
    path("mes-cartes/carte/<int:map_id>/", views.change_map, name="change_map"),
    path("mes-exports/", views.exports_page, name="exports"),
    path("mes-exports/enregistrer/", views.keep_export, name="keep_export"),
    path("mes-exports/<int:export_id>/supprimer/", views.delete_export, name="delete_export"),
    path("mes-exports/<int:export_id>/envoyer/", views.send_export, name="send_export"),
    path("export-partage/<str:token>/", views.shared_export, name="shared_export"),
    path("mes-alertes/", views.alerts_page, name="alerts"),
    path("mes-alertes/creer/", views.create_alert, name="create_alert"),
    path("mes-alertes/<int:alert_id>/", views.change_alert, name="change_alert"),
    path("alerte/arreter/<str:token>/", views.stop_alert, name="stop_alert"),
    path("mes-teledeclarations/", views.my_declarations, name="declarations"),
    path("mes-contributions/", views.my_contributions, name="contributions"),
    path("mes-contributions/<int:page_id>/", views.my_contribution, name="contribution"),
    path("notifications/", views.my_notifications, name="notifications"),
    path("espaces-suivis/", space_views.followed_spaces, name="followed_spaces"),
    path("espaces/arreter-le-courriel/<str:token>/", space_views.stop_digest, name="stop_space_digest"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/telecharger/", views.download_my_data, name="download_my_data"),
    path("mes-donnees/supprimer-mon-compte/", views.delete_account, name="delete_account"),
]
