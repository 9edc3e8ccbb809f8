from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from participation.audit_admin import AuditedEditView, AuditedIndexView, AuditedInspectView

from .models import Message, SmsOptOut


class MessageViewSet(ModelViewSet):
    """The message log, for coordinators to see what went out and what failed."""

    model = Message
    icon = "mail"
    menu_label = _("Messages")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["recipient", "channel", "purpose", "state", "created_at", "sent_at"]
    list_filter = ["state", "channel", "purpose"]
    search_fields = ["recipient", "subject"]
    inspect_view_enabled = True
    form_fields = ["state"]
    # Who looked at whose messages goes to the access log.
    index_view_class = AuditedIndexView
    edit_view_class = AuditedEditView
    inspect_view_class = AuditedInspectView


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


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [MessageViewSet("messages"), SmsOptOutViewSet("sms_opt_outs")]
