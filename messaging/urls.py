from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("inbound/", views.inbound_sms, name="inbound_sms"),
]
