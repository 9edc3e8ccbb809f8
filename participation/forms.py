"""Form helpers every public form shares, so screen-reader users hear help and errors the same way."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

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
    """The contact checks of the forms where residents sign themselves up (an event's sign-up, a panel's
    call), kept in one place so both forms accept and refuse the same input with the same words.

    The form has the fields email and phone; call `check_reachable(data)` from its clean(). (The questions
    about age, gender, wijk and origin, and the origin consent check: population.forms.DemographicsFormMixin.)
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



class OptimisticLockMixin:
    """Refuses a save when someone else changed the record after this form was opened (a lost update).

    The form carries, in a signed hidden field, the stored values of the fields it edits as they were
    when it was opened. When it is sent, they are compared with what is stored now; if any differ, the
    form is invalid, nothing is saved, and the errors say which fields changed: what the person saw and
    what is stored now. The hidden field then carries the new values, so saving again (after checking)
    goes through. No version column is needed, and a change to a field this form does not edit (a
    check-in, a reminder sent) does not block it.

    Use it before the form class: `class F(OptimisticLockMixin, WagtailAdminModelForm)` (the instance is
    the record) or `class F(OptimisticLockMixin, forms.Form)` with `F(data, lock_instance=record)`.
    `lock_fields` names the model fields compared; by default, the form's fields that are model fields.
    The check reads the row without a lock: two saves within milliseconds of each other can still both
    pass; it is meant for people, who take seconds.
    """

    lock_field_name = "lock_token"
    lock_fields = None
    lock_salt = "participation.forms.OptimisticLockMixin"

    def __init__(self, *args, lock_instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock_instance = lock_instance if lock_instance is not None else getattr(self, "instance", None)
        self.conflicts = []
        self.fields[self.lock_field_name] = forms.CharField(required=False, widget=forms.HiddenInput)
        if self._lock_active():
            self.initial[self.lock_field_name] = self._token(self.lock_instance)

    # --- what is compared ---

    def _lock_active(self):
        return self.lock_instance is not None and self.lock_instance.pk is not None

    def _lock_model_fields(self):
        opts = self.lock_instance._meta
        names = self.lock_fields
        if names is None:
            names = [name for name in self.fields if name != self.lock_field_name]
        model_fields = []
        for name in names:
            try:
                field = opts.get_field(name)
            except Exception:  # a form-only field (a message, a checkbox)
                continue
            if getattr(field, "concrete", False) or field.many_to_many:
                model_fields.append(field)
        return model_fields

    @staticmethod
    def _display(instance, field):
        value = field.value_from_object(instance)
        if field.many_to_many:
            return ", ".join(str(item) for item in value) or "—"
        if value in (None, ""):
            return "—"
        if field.is_relation:
            return str(getattr(instance, field.name))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if hasattr(value, "isoformat"):
            from django.utils import formats, timezone

            if hasattr(value, "tzinfo") and value.tzinfo is not None:
                value = timezone.localtime(value)
            return formats.localize(value)
        return str(value)

    def _snapshot(self, instance):
        return {field.name: [field.value_to_string(instance), self._display(instance, field)]
                for field in self._lock_model_fields()}

    def _token(self, instance):
        from django.core import signing

        return signing.dumps(self._snapshot(instance), salt=self.lock_salt, compress=True)

    # --- the check ---

    def clean(self):
        cleaned = super().clean()
        if self._lock_active():
            self._check_lock()
        return cleaned

    def _check_lock(self):
        from django.core import signing

        token = (self.data.get(self.add_prefix(self.lock_field_name)) or "").strip()
        stored = type(self.lock_instance)._default_manager.filter(pk=self.lock_instance.pk).first()
        if stored is None:
            self.add_error(None, _("Someone else deleted this in the meantime. Nothing was saved."))
            return
        try:
            seen = signing.loads(token, salt=self.lock_salt) if token else None
        except signing.BadSignature:
            seen = None
        if not isinstance(seen, dict):
            self.add_error(None, _("This form is incomplete or too old. Open it again; nothing was saved."))
            self._renew_token(stored)
            return
        now = self._snapshot(stored)
        labels = {field.name: field.verbose_name for field in self._lock_model_fields()}
        self.conflicts = [
            {"field": name, "label": str(labels.get(name, name)).capitalize(),
             "seen": seen[name][1], "now": now[name][1]}
            for name in now if name in seen and seen[name][0] != now[name][0]
        ]
        if not self.conflicts:
            return
        self.add_error(None, _(
            "Someone else changed this after you opened it. Nothing was saved. Below is what is stored now. "
            "Check it; if your change is still needed, save again."))
        for conflict in self.conflicts:
            self.add_error(None, _("%(label)s: when you opened it “%(seen)s”, now “%(now)s”.") % conflict)
        self._renew_token(stored)

    def _renew_token(self, stored):
        data = self.data.copy()
        data[self.add_prefix(self.lock_field_name)] = self._token(stored)
        self.data = data


class LockedAdminModelForm(OptimisticLockMixin, WagtailAdminModelForm):
    """The Wagtail admin's model form with the lock: `base_form_class` for snippets and viewsets."""
