from django.urls import path

from . import views

app_name = "panels"

urlpatterns = [
    path("", views.panel_index, name="index"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("<int:pk>/selection/<int:run_pk>/", views.audit, name="audit"),
    path("a/<str:token>/", views.application, name="application"),
    path("a/<str:token>/confirm/", views.confirm, name="confirm"),
    path("a/<str:token>/decline/", views.decline, name="decline"),
    path("a/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("a/<str:token>/contact/", views.change_contact, name="contact"),
]
