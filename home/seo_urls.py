from django.urls import path

from . import seo

urlpatterns = [
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("favicon.ico", seo.favicon, name="favicon"),
]
