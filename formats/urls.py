from django.urls import path

from . import opinion_views, views

app_name = "formats"

urlpatterns = [
    path("", views.facilitator_home, name="facilitator_home"),
    # Statement game
    path("stem/<str:key>/", views.vote, name="vote"),
    path("spel/<str:key>/scherm/", views.screen, name="screen"),
    path("spel/<str:key>/live.json", views.live, name="live"),
    path("spel/<str:key>/qr.svg", views.qr, name="qr"),
    path("spel/<str:key>/leiden/", views.facilitate, name="facilitate"),
    path("spel/<str:key>/resultaten/", views.game_results, name="game_results"),
    path("spel/<str:key>/resultaten.csv", views.game_results_csv, name="game_results_csv"),
    path("spel/<str:key>/scherm/meningen/", opinion_views.screen_opinion, name="screen_opinion"),
    path("spel/<str:key>/groepen.csv", opinion_views.opinion_csv, name="opinion_csv"),
    # Dialogue tables
    path("tafel/<int:table_id>/oogst/", views.harvest, name="harvest"),
    path("dialoog/<int:pk>/", views.dialogue_public, name="dialogue_public"),
    # Accountability Day
    path("dag/<int:day_id>/verhalen/", views.story_entry, name="story_entry"),
    path("dag/<int:day_id>/reacties/", views.responses, name="responses"),
    path("dag/<int:pk>/verslag/", views.day_report, name="day_report"),
]
