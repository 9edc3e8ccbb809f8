from django.urls import path

from . import views

app_name = "panels"

urlpatterns = [
    path("", views.panel_index, name="index"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("<int:pk>/selection/<int:run_pk>/", views.audit, name="audit"),
]
