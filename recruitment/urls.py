from django.urls import path, register_converter

from . import views


class CodeConverter:
    regex = "[A-Za-z0-9]{6,16}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")

app_name = "recruitment"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/links/new/", views.link_create, name="link_create"),
    path("dashboard/links/<code:code>/", views.link_detail, name="link_detail"),
    path("dashboard/links/<code:code>/qr.png", views.link_qr_png, name="link_qr_png"),
    path("dashboard/links/<code:code>/qr.svg", views.link_qr_svg, name="link_qr_svg"),
    path("dashboard/links/<code:code>/flyer.pdf", views.link_flyer, name="link_flyer"),
    path("dashboard/invite/", views.invite, name="invite"),
    path("dashboard/register/", views.register_on_behalf, name="register_on_behalf"),
    path("dashboard/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("friend/<str:token>/", views.friend, name="friend"),
    path("friend/<str:token>/qr.svg", views.friend_qr_svg, name="friend_qr_svg"),
    path("<code:code>", views.follow, name="follow"),
]
