from django.urls import path

from forms.apd import views as apd_views
from forms.atlas_updates import views as atlas_updates_views
from forms.bourse import views as bourse_views
from forms.dossiers import views

app_name = "cncd_forms"
urlpatterns = [
    path("appels/<int:call_id>/deposer/", views.start_dossier, name="start_dossier"),
    path("dossiers/", views.dossier_list, name="dossiers"),
    path("dossiers/<int:dossier_id>/", views.dossier_page, name="dossier"),
    path("dossiers/<int:dossier_id>/modifier/", views.edit_dossier, name="edit_dossier"),
    path("dossiers/<int:dossier_id>/action/", views.dossier_action, name="dossier_action"),
    path("atlas/", atlas_updates_views.home, name="atlas_updates"),
    path("atlas/proposer/", atlas_updates_views.propose, name="atlas_propose"),
    path("atlas/projets/<int:project_id>/fin/", atlas_updates_views.end_project, name="atlas_end_project"),
    path("atlas/propositions/<int:update_id>/", atlas_updates_views.proposal, name="atlas_update"),
    path("bourse-projets/", bourse_views.census, name="bourse_census"),
    path("bourse-projets/<int:entry_id>/", bourse_views.entry_page, name="bourse_entry"),
    path("apd/", apd_views.apd_home, name="apd"),
    path("apd/campagnes/<int:campaign_id>/declarer/", apd_views.start_declaration, name="apd_start"),
    path("apd/declarations/<int:declaration_id>/", apd_views.declaration_page, name="apd_declaration"),
    path("apd/declarations/<int:declaration_id>/accuse-de-reception.pdf", apd_views.receipt, name="apd_receipt"),
]
