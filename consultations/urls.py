from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("u/<str:token>/", views.invitation, name="invitation"),
    path("open/<str:key>/", views.open_link, name="open"),
    path("open/<str:key>/qr.svg", views.qr, name="qr"),
    path("a/<str:token>/", views.answer, name="answer"),
    path("a/<str:token>/klaar/", views.done, name="done"),
    path("<int:pk>/resultaten/", views.public_results, name="public_results"),
]
