from django.urls import path

from . import feeds, views

app_name = "outcomes"

urlpatterns = [
    path("signal/", views.signal_form, name="signal_form"),
    path("signal/thanks/", views.signal_thanks, name="signal_thanks"),
    path("signal/<str:token>/", views.signal_status, name="signal_status"),
    path("feed/rss/", feeds.OutcomeUpdatesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.OutcomeUpdatesAtomFeed(), name="feed_atom"),
]
