from django.urls import path

from . import views

urlpatterns = [
    path("<slug:short>", views.short_vote, name="formats_short_vote"),
]
