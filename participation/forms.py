"""Form helpers every public form shares, so screen-reader users hear help and errors the same way."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from messaging.phone import SMS_ONLY_HELP, normalise_phone, sms_refusal_message


class AccessibleForm(forms.Form):
    """Links each field to its help text and errors (aria-describedby) and marks invalid fields.

    Render the fields with `{% include "includes/field.html" %}`, which gives the help text and the error
    the ids used here. Call `annotate()` before rendering a bound form.
    """

    def annotate(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
        return self


def phone_help(text=None):
    """The help text of a phone field that leads to text messages: says where SMS may go."""
    return format_lazy("{} {}", text, SMS_ONLY_HELP) if text else SMS_ONLY_HELP


class ResidentContactMixin:
    """The contact and origin checks of the forms where residents sign themselves up (an event's sign-up,
    a panel's call), kept in one place so both forms accept and refuse the same input with the same words.

    The form has the fields email, phone, origin_consent and origin; call `check_reachable(data)` and
    `check_origin_consent(data)` from its clean().
    """

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        try:
            return normalise_phone(raw)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def check_reachable(self, data):
        """Both fields valid but both empty: say so on email and return False."""
        if "email" in data and "phone" in data and not data["email"] and not data["phone"]:
            self.add_error("email", _("Fill in an email address or a mobile number, so we can reach you."))
            return False
        return True

    def check_sms_number(self, data, *, texted):
        """When we would text the number (`texted`: the person chose SMS, or it is their only contact),
        it must be a mobile number we may text (messaging.phone.sms_refusal): else a clear message.

        A number we will not text (the person chose email) is kept as it is, e.g. for a phone call.
        """
        phone = data.get("phone")
        if texted and phone:
            message = sms_refusal_message(phone)
            if message:
                self.add_error("phone", message)
                return False
        return True

    def check_origin_consent(self, data):
        if data.get("origin") and not data.get("origin_consent"):
            self.add_error("origin", _("Tick the consent box if you want to tell us your origin, or choose "
                                       "'I prefer not to say'."))
