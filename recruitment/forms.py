from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.phone import normalise_phone, sms_refusal_message
from participation.forms import phone_help
from population import dimensions

from .models import ConsentMethod, ContactVia
from .services import open_events, recruiting_panels


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        return f"{event.title} ({timezone.localtime(event.start):%d-%m-%Y})"


def event_field():
    from events.models import EventPage

    return EventChoiceField(queryset=EventPage.objects.none(), label=_("Event"), empty_label=None)


class DescribedForm(forms.Form):
    """Links every input to its help text and its errors (aria-describedby), for screen readers."""

    def __init__(self, *args, viewer=None, **kwargs):
        self.viewer = viewer  # the request (or user): events private to them are not offered
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            self.fields["event"].queryset = open_events(viewer=viewer)
        self.prepare_fields()  # before the loop below, which may validate a bound form
        for name, bound_field in self.fields.items():
            ids = []
            if bound_field.help_text:
                ids.append(f"id_{name}_help")
            if self.is_bound and name in self.errors:
                ids.append(f"id_{name}_error")
                bound_field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound_field.widget.attrs["aria-describedby"] = " ".join(ids)

    def prepare_fields(self):
        """Set choices that depend on the database."""


class LinkForm(DescribedForm):
    target = forms.ChoiceField(
        label=_("Invite to"),
        help_text=_("An event, or the call of a panel that is looking for volunteers."),
    )
    label = forms.CharField(
        label=_("Name for yourself (optional)"), max_length=80, required=False,
        help_text=_("For example: flyer at the youth centre, WhatsApp group."),
    )
    ends_at = forms.DateField(
        label=_("Works until (optional)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day the link stops working. Leave empty: until the event or the end of the call."),
    )

    def prepare_fields(self):
        self._events = {f"event-{e.pk}": e for e in open_events(viewer=self.viewer)}
        self._panels = {f"panel-{p.pk}": p for p in recruiting_panels()}
        label = EventChoiceField(queryset=None).label_from_instance
        groups = []
        if self._events:
            groups.append((_("Events"), [(key, label(e)) for key, e in self._events.items()]))
        if self._panels:
            groups.append((_("Panel calls"), [(key, p.name) for key, p in self._panels.items()]))
        self.fields["target"].choices = groups

    def clean(self):
        data = super().clean()
        key = data.get("target") or ""
        data["event"], data["panel"] = self._events.get(key), self._panels.get(key)
        return data


class LinkEndForm(DescribedForm):
    ends_at = forms.DateField(
        label=_("Works until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty: the link works until the event."),
    )


class InviteForm(DescribedForm):
    event = event_field()
    contacts = forms.CharField(
        label=_("Phone numbers or email addresses"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, or separated by commas. For example: 06 12345678"),
    )
    note = forms.CharField(
        label=_("A personal line (optional)"), max_length=140, required=False,
        help_text=_("For example: I will be there too!"),
    )


YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class OnBehalfForm(DescribedForm):
    event = event_field()
    name = forms.CharField(label=_("Name of the resident"), max_length=200)
    contact_via = forms.ChoiceField(
        label=_("Where should messages about the event go?"), choices=ContactVia.choices,
        widget=forms.RadioSelect, initial=ContactVia.RESIDENT,
    )
    email = forms.EmailField(
        label=_("Email address of the resident (optional)"), required=False,
        help_text=_("Only needed if messages go to the resident."),
    )
    phone = forms.CharField(
        label=_("Mobile number of the resident (optional)"), max_length=30, required=False,
        help_text=phone_help(_("Only needed if messages go to the resident. For example: 06 12345678")),
    )
    age_band = forms.ChoiceField(
        label=_("Age"), choices=[dimensions.PREFER_NOT_TO_SAY] + dimensions.AGE_BAND_CHOICES, required=False,
    )
    # What the resident needs to take part: the same questions as the event's own sign-up form.
    needs_wheelchair = forms.BooleanField(label=_("Wheelchair access"), required=False)
    needs_sign_language = forms.BooleanField(label=_("A sign-language interpreter"), required=False)
    needs_childcare = forms.BooleanField(label=_("Childcare"), required=False)
    needs_translation = forms.CharField(label=_("Translation: into which language?"), required=False,
                                        max_length=60)
    dietary = forms.CharField(label=_("Dietary wishes"), required=False, max_length=200)
    access_other = forms.CharField(label=_("Anything else the organiser can arrange?"), required=False,
                                   max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    under_16 = forms.ChoiceField(
        label=_("Is this person younger than 16?"), choices=YES_NO, widget=forms.RadioSelect,
        help_text=_("Under 16, a parent or guardian must agree first (Dutch privacy law, UAVG art. 5)."),
    )
    guardian_name = forms.CharField(
        label=_("Name of the parent or guardian"), max_length=150, required=False,
        help_text=_("Only for someone younger than 16."),
    )
    guardian_consent_method = forms.ChoiceField(
        label=_("How did the parent or guardian agree?"), required=False,
        choices=[("", _("Choose"))] + ConsentMethod.choices,
    )
    consent_method = forms.ChoiceField(
        label=_("How did the resident agree that you sign them up?"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    consent_given_at = forms.DateTimeField(
        label=_("When did they agree?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "consent_given_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self):
        data = super().clean()
        under_16 = data.get("under_16") == "yes"
        age_band = data.get("age_band")
        if age_band == "0-14" and data.get("under_16") == "no":
            self.add_error("under_16", _("The age is 0 to 14 years: that is younger than 16."))
        if age_band in ("25-44", "45-64", "65+") and under_16:
            self.add_error("under_16", _("The age you chose is 25 or older: that is not younger than 16."))
        if under_16 and not (data.get("guardian_name") and data.get("guardian_consent_method")):
            self.add_error("guardian_name", _(
                "Someone younger than 16 can only be signed up when a parent or guardian agrees. "
                "Fill in their name and how they agreed. No consent yet? Then do not sign this person "
                "up now: ask the parent or guardian first."
            ))
        if data.get("contact_via") == ContactVia.RESIDENT and not (data.get("email") or data.get("phone")):
            self.add_error("email", _(
                "Fill in an email address or mobile number, or choose that messages go through you."
            ))
        elif (data.get("contact_via") == ContactVia.RESIDENT and data.get("phone") and not data.get("email")
              and "email" not in self.errors):
            # Only a number: the messages go by SMS, so it must be a number we may text.
            try:
                phone = normalise_phone(data["phone"])
            except forms.ValidationError as error:
                self.add_error("phone", error.messages[0])
            else:
                message = sms_refusal_message(phone)
                if message:
                    self.add_error("phone", message)
        when = data.get("consent_given_at")
        if when and when > timezone.now() + timedelta(minutes=5):
            self.add_error("consent_given_at", _("This moment is in the future."))
        return data
