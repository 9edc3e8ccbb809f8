from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    LOGGED = "logged", _("Written to the log (SMS not configured)")
    SKIPPED = "skipped", _("Not sent (see the reason)")
    CANCELLED = "cancelled", _("Cancelled before sending")
    FAILED = "failed", _("Failed")
    # Sending started but was interrupted (the worker stopped): it may or may not have arrived. Never
    # retried automatically; a coordinator can send it again from the message log.
    UNCERTAIN = "uncertain", _("Uncertain: sending was interrupted")


class Message(models.Model):
    """One email or SMS to one person, and what became of it.

    The row is the truth: the worker only moves it forward, and the unique `dedupe_key` makes
    "send this once" a database rule rather than a hope. Rows are deleted by the retention rule.
    """

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)
    dedupe_key = models.CharField(
        _("dedupe key"),
        max_length=200,
        unique=True,
        help_text=_("Two messages with the same key are never both sent."),
    )
    purpose = models.CharField(_("purpose"), max_length=60, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When the worker marked it "being sent" (the SMS budget counts these; the sweep finds interrupted ones).
    attempted_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    resent_at = models.DateTimeField(_("sent again"), null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("reason or error"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "send_after"]),
            models.Index(fields=["channel", "attempted_at"], name="messaging_sms_budget_idx"),
        ]
        permissions = [("resend_message", _("Can send an uncertain message again"))]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"


class SmsOptOut(models.Model):
    """A phone number that must never get an SMS from us. Kept as long as the opt-out stands."""

    phone = models.CharField(_("phone number"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("opted out at"), auto_now_add=True)
    source = models.CharField(_("how"), max_length=40, default="STOP")

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self):
        return self.phone
