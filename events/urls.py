from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("feed.ics", views.feed, name="feed"),
    path("mine/", views.my_registrations, name="mine"),
    path("<int:event_id>/signup/", views.signup, name="signup"),
    path("<int:event_id>/signup/sent/", views.signup_sent, name="signup_sent"),
    path("<int:event_id>/calendar.ics", views.event_calendar, name="event_ics"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("r/<str:token>/undo/", views.undo_cancel, name="undo_cancel"),
    path("r/<str:token>/calendar.ics", views.personal_calendar, name="personal_ics"),
    path("r/<str:token>/qr.svg", views.qr_code, name="qr"),
    path("checkin/<str:token>/", views.scan, name="scan"),
    path("<int:event_id>/checkin/", views.checkin, name="checkin"),
]
