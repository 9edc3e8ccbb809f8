from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import AccessibleForm, ResidentContactMixin, phone_help
from population.forms import DEMOGRAPHIC_FIELDS, DemographicsFormMixin
from population.models import Area


class ApplicationForm(ResidentContactMixin, DemographicsFormMixin, AccessibleForm):
    """The call's sign-up form: apply for the pool a panel is drawn from."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email address"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=30,
                            help_text=phone_help(_("For example 06 12345678. Fill in an email address, a "
                                                   "mobile number or both.")),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    field_order = ["name", "email", "phone", *DEMOGRAPHIC_FIELDS]
    age_band_help = _("We use this to draw a panel that looks like the population.")
    origin_consent_label = _("I agree to tell you my origin. This is sensitive information; you use it only to draw "
                             "a panel that looks like the population, and never show it per person.")
    motivation = forms.CharField(label=_("Why would you like to take part? (optional)"), required=False,
                                 max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reserve_consent = forms.BooleanField(
        label=_("If I am not chosen, keep me on the reserve list: I may still be chosen by lot when someone "
                "drops out."), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the municipality keeps my details for this panel's lottery and contacts me about it."),
        error_messages={"required": _("Please agree that we keep your details for the lottery; without it we "
                                      "cannot add you to the pool.")},
    )

    def __init__(self, *args, municipality=None, **kwargs):
        wijken = Area.objects.filter(level=Area.Level.WIJK)
        if municipality is not None:
            wijken = wijken.filter(parent=municipality)
        self._wijken = {str(a.pk): a for a in wijken}
        super().__init__(*args, **kwargs)

    def wijk_choices(self):
        return sorted(((pk, a.display_name) for pk, a in self._wijken.items()), key=lambda c: c[1])

    def clean_wijk(self):
        value = self.cleaned_data.get("wijk")
        return self._wijken.get(value) if value else None

    def clean(self):
        data = super().clean()
        if self.check_reachable(data) and "email" in data:
            # The call's messages go to every address given; a number that is the only way to reach the
            # person must be one we may text. Beside an email address any number is kept (for a call).
            self.check_sms_number(data, texted=not data["email"])
        return data


class ContactDetailsForm(ResidentContactMixin, AccessibleForm):
    """The personal page's form to change name and contact details (no account needed)."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email address"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=30,
                            help_text=phone_help(_("For example 06 12345678.")),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))

    def clean(self):
        data = super().clean()
        if self.check_reachable(data) and "email" in data:
            self.check_sms_number(data, texted=True)
        return data


class SendResultsForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the messages and want to send them"))


class ReplacementForm(forms.Form):
    accept_not_optimal = forms.BooleanField(
        label=_("I have read the warning and still want to draw from this lottery"), required=False)


# --- coordinators (Wagtail admin) ---------------------------------------------------------------------------

class SelectionForm(forms.Form):
    algorithm = forms.ChoiceField(
        label=_("Algorithm"), choices=[("leximin", _("Leximin (fairest; recommended)")),
                                       ("maximin", _("Maximin (only the smallest chance as high as possible)"))], initial="leximin")
    seed = forms.IntegerField(label=_("Seed"), required=False, min_value=0, max_value=2**31 - 1,
                              help_text=_("Empty: a random seed is chosen and recorded. With the same pool and "
                                          "seed the same panel is drawn."))
    accept_not_optimal = forms.BooleanField(
        label=_("I have read the warning and still want to draw from this lottery"), required=False)


class ReplaceForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=200)
    seed = forms.IntegerField(label=_("Seed"), required=False, min_value=0, max_value=2**31 - 1)
