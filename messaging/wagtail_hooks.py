from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from participation.audit_admin import AuditedEditView, AuditedIndexView, AuditedInspectView

from . import services
from .models import Message, MessageState, SmsOptOut

RESEND_PERMISSION = "messaging.resend_message"


class ReasonColumn(Column):
    """Why a message was not sent, or what happened to it (skipped, failed, uncertain)."""

    def get_value(self, instance):
        return Truncator(instance.error).chars(140) if instance.error else ""


class ResendColumn(Column):
    """For an uncertain message: the link to the page with the one "send again" button."""

    def __init__(self, name, url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def get_value(self, instance):
        if instance.state != MessageState.UNCERTAIN:
            return ""
        return format_html('<a class="button button-small" href="{}">{}</a>',
                           reverse(self.url_name, args=[instance.pk]), _("Send again…"))


class MessageViewSet(ModelViewSet):
    """The message log, for coordinators to see what went out and what failed.

    Uncertain messages (sending was interrupted) are listed with the reason and a "send again" button.
    """

    model = Message
    icon = "mail"
    menu_label = _("Messages")
    add_to_admin_menu = True
    menu_order = 900
    list_filter = ["state", "channel", "purpose"]
    search_fields = ["recipient", "subject"]
    inspect_view_enabled = True
    form_fields = ["state"]
    # Who looked at whose messages goes to the access log.
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView
    inspect_view_class = AuditedInspectView

    @property
    def list_display(self):
        return [
            "recipient", "channel", "purpose", "state", "created_at", "sent_at",
            ReasonColumn("error", label=_("Reason")),
            ResendColumn("resend", self.get_url_name("resend"), label=_("Action")),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("resend/<int:pk>/", self.resend_view, name="resend")]

    def resend_view(self, request, pk):
        """GET: what will be sent again and why it is uncertain; POST (the one button): send it again."""
        if not request.user.has_perm(RESEND_PERMISSION):
            raise PermissionDenied
        message = get_object_or_404(Message, pk=pk)
        index_url = reverse(self.get_url_name("index")) + "?state=" + MessageState.UNCERTAIN
        if request.method == "POST":
            try:
                services.resend(message.pk, by=request.user)
            except services.ResendError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The message to %(recipient)s is in the queue again and will be "
                                            "sent once.") % {"recipient": message.recipient})
            return redirect(index_url)
        return TemplateResponse(request, "messaging/admin/resend.html", {
            "message": message, "index_url": index_url, "header_title": _("Send a message again"),
            "is_uncertain": message.state == MessageState.UNCERTAIN,
        })


class SmsOptOutViewSet(ModelViewSet):
    model = SmsOptOut
    icon = "cross"
    menu_label = _("SMS opt-outs")
    add_to_settings_menu = True
    list_display = ["phone", "source", "created_at"]
    search_fields = ["phone"]
    form_fields = ["phone", "source"]
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView


message_viewset = MessageViewSet("messages")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [message_viewset, SmsOptOutViewSet("sms_opt_outs")]


class UncertainPanel:
    """On the admin's dashboard: how many messages wait for a coordinator's decision."""

    name = "messaging_uncertain"
    order = 55

    def __init__(self, request):
        self.request = request

    @property
    def media(self):
        return Media()

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm(RESEND_PERMISSION):
            return ""
        count = Message.objects.filter(state=MessageState.UNCERTAIN).count()
        if not count:
            return ""
        url = reverse(message_viewset.get_url_name("index")) + "?state=" + MessageState.UNCERTAIN
        return mark_safe(render_to_string("messaging/admin/uncertain_panel.html", {"count": count, "url": url},
                                          request=self.request))


@hooks.register("construct_homepage_panels")
def uncertain_panel(request, panels):
    panels.append(UncertainPanel(request))
