from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from messaging.phone import normalise_phone, sms_refusal_message
from participation.forms import AccessibleForm, ResidentContactMixin, phone_help
from population.forms import DemographicsFormMixin
from population.models import Area

from .models import Channels

WIJK_CACHE_KEY = "events:wijk-choices"


def wijk_choices(max_age=60):
    """The wijken to choose from; kept a minute in the shared cache (they change once a year, if ever).

    An empty list is kept too (a site without wijken asked on every sign-up); saving or deleting an
    area forgets the list for every worker at once (see forget_wijk_choices).
    """
    choices = cache.get(WIJK_CACHE_KEY)
    if choices is None:
        wijken = Area.objects.filter(level=Area.Level.WIJK).order_by("name")
        choices = [(str(area.pk), area.display_name) for area in wijken]
        cache.set(WIJK_CACHE_KEY, choices, max_age)
    return list(choices)


def forget_wijk_choices(**kwargs):
    cache.delete(WIJK_CACHE_KEY)


class SignupForm(ResidentContactMixin, DemographicsFormMixin, AccessibleForm):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=30,
                            help_text=phone_help(_("For example 06 12345678. Fill in an email address, a "
                                                   "mobile number or both.")),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    channels = forms.ChoiceField(label=_("How do you want to hear from us?"), choices=Channels.choices,
                                 initial=Channels.EMAIL, widget=forms.RadioSelect)

    needs_wheelchair = forms.BooleanField(label=_("Wheelchair access"), required=False)
    needs_sign_language = forms.BooleanField(label=_("A sign-language interpreter"), required=False)
    needs_childcare = forms.BooleanField(label=_("Childcare"), required=False)
    needs_translation = forms.CharField(label=_("Translation: into which language?"), required=False,
                                        max_length=60)
    dietary = forms.CharField(label=_("Dietary wishes"), required=False, max_length=200)
    access_other = forms.CharField(label=_("Anything else we can arrange for you?"), required=False,
                                   max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    consent_event = forms.BooleanField(
        label=_("I agree that the municipality uses my details to organise this event and to send me "
                "messages about it."),
        error_messages={"required": _("Please agree that we use your details for this event; without it "
                                      "we cannot sign you up.")},
    )
    consent_invite_again = forms.BooleanField(
        label=_("You may invite me for similar events later."), required=False)

    def wijk_choices(self):
        return wijk_choices()

    def clean(self):
        data = super().clean()
        email, phone, channels = data.get("email"), data.get("phone"), data.get("channels")
        if self.check_reachable(data):
            if channels in (Channels.EMAIL, Channels.BOTH) and "email" in data and not email:
                self.add_error("email", _("You chose email: please fill in your email address."))
            elif channels in (Channels.SMS, Channels.BOTH) and "phone" in data and not phone:
                self.add_error("phone", _("You chose text messages: please fill in your mobile number."))
            else:
                self.check_sms_number(data, texted=channels in (Channels.SMS, Channels.BOTH))
        return data

    def signup_data(self):
        data = dict(self.cleaned_data)
        data["wijk"] = int(data["wijk"]) if data.get("wijk") else None
        return data


class WalkInForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address (optional)"), required=False)
    phone = forms.CharField(label=_("Mobile number (optional)"), required=False, max_length=30,
                            help_text=phone_help(), widget=forms.TextInput(attrs={"type": "tel"}))

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        try:
            return normalise_phone(raw)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None

    def clean(self):
        data = super().clean()
        # Without an email address the walk-in's messages go by SMS: the number must be one we may text.
        if data.get("phone") and not data.get("email") and "email" not in self.errors:
            message = sms_refusal_message(data["phone"])
            if message:
                self.add_error("phone", message)
        return data


class CheckInForm(forms.Form):
    """Tick or untick one registration on the check-in list; `registration` is the row's id."""

    action = forms.ChoiceField(choices=[("attend", "attend"), ("unattend", "unattend")])
    registration = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    q = forms.CharField(required=False, max_length=200)


class SearchForm(forms.Form):
    """The check-in list's search box."""

    q = forms.CharField(required=False, max_length=200)
