"""The "my data" pages, with translated paths: /mijn-gegevens/ in Dutch, /en/my-data/ in English."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "accounts"

urlpatterns = [
    path(_("my-data/"), views.my_data, name="my_data"),
    path(_("my-data/request/"), views.request_link, name="request_link"),
    path(_("my-data/download/"), views.download, name="download"),
    path(_("my-data/erase/"), views.erase, name="erase"),
    path(_("my-data/link/<str:token>/"), views.link_data, name="link_data"),
    path(_("my-data/link/<str:token>/download/"), views.link_download, name="link_download"),
    path(_("my-data/link/<str:token>/erase/"), views.link_erase, name="link_erase"),
]
