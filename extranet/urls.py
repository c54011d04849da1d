from django.urls import path

from . import views

app_name = "extranet"
urlpatterns = [path("", views.personal_space, name="personal_space")]
