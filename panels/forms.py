from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import AccessibleForm, ResidentContactMixin, phone_help

from . import dimensions
from .models import Area, Panel, PopulationDataset

PREFER = [dimensions.PREFER_NOT_TO_SAY]


class ApplicationForm(ResidentContactMixin, AccessibleForm):
    """The call's sign-up form: apply for the pool a panel is drawn from."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email address"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=30,
                            help_text=phone_help(_("For example 06 12345678. Fill in an email address, a "
                                                   "mobile number or both.")),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    age_band = forms.ChoiceField(label=_("Your age"), required=False, choices=PREFER + dimensions.AGE_BAND_CHOICES,
                                 help_text=_("We use this to draw a panel that looks like the population."))
    gender = forms.ChoiceField(label=_("Your gender"), required=False, choices=PREFER + dimensions.GENDER_CHOICES)
    wijk = forms.ChoiceField(label=_("The wijk you live in"), required=False)
    origin_consent = forms.BooleanField(
        label=_("I agree to tell you my origin. This is sensitive information; you use it only to draw a panel "
                "that looks like the population, and never show it per person."),
        required=False)
    origin = forms.ChoiceField(label=_("Where were you and your parents born?"), required=False,
                               choices=PREFER + dimensions.ORIGIN_CHOICES,
                               help_text=_("Only if you ticked the box above."))
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
        super().__init__(*args, **kwargs)
        wijken = Area.objects.filter(level=Area.Level.WIJK)
        if municipality is not None:
            wijken = wijken.filter(parent=municipality)
        self._wijken = {str(a.pk): a for a in wijken}
        self.fields["wijk"].choices = PREFER + sorted(
            ((pk, a.display_name) for pk, a in self._wijken.items()), key=lambda c: c[1])

    def clean_wijk(self):
        value = self.cleaned_data.get("wijk")
        return self._wijken.get(value) if value else None

    def clean(self):
        data = super().clean()
        if self.check_reachable(data) and "email" in data:
            # The call's messages go to every address given; a number that is the only way to reach the
            # person must be one we may text. Beside an email address any number is kept (for a call).
            self.check_sms_number(data, texted=not data["email"])
        self.check_origin_consent(data)
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

class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=PopulationDataset.Source.choices,
                             widget=forms.RadioSelect, initial=PopulationDataset.Source.CBS_KWB)
    file = forms.FileField(label=_("File (CSV or xlsx)"))
    year = forms.IntegerField(label=_("Year of the figures"), required=False, min_value=1990, max_value=2100,
                              help_text=_("Needed when the file has no column 'jaar' or holds several years."))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=Area.objects.filter(level=Area.Level.MUNICIPALITY),
        help_text=_("For an upload of another dimension: the municipality the figures are about."))
    name = forms.CharField(label=_("Name"), required=False, max_length=200,
                           help_text=_("For an upload, for example 'Education level 2024'."))
    source_note = forms.CharField(label=_("Where the figures come from"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("kind") == PopulationDataset.Source.UPLOAD:
            for field in ("year", "municipality", "name"):
                if not data.get(field):
                    self.add_error(field, _("Needed for an upload of another dimension."))
        return data


GROUP_CHOICES = [
    ("panel", _("Members of a panel")),
    ("pool", _("Pool of volunteers of a panel")),
    ("event_registrants", _("Registrants of an event")),
    ("event_attendees", _("Attendees of an event")),
]


class RepresentativenessForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=GROUP_CHOICES, initial="panel")
    panel = forms.ModelChoiceField(label=_("Panel"), queryset=Panel.objects.all(), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    area = forms.ModelChoiceField(
        label=_("Compare with the population of"), required=False,
        queryset=Area.objects.filter(level__in=[Area.Level.MUNICIPALITY, Area.Level.WIJK]).order_by("code"),
        help_text=_("Empty: the panel's own area, or the whole municipality."))
    size = forms.IntegerField(label=_("Target size"), required=False, min_value=1, max_value=100_000,
                              help_text=_("Empty: the panel's target size, or the number of people in the group."))
    min_age = forms.IntegerField(label=_("Youngest eligible age"), required=False, min_value=0, max_value=120,
                                 help_text=_("Empty: the panel's eligible ages, or all ages."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "---------")] + event_choices()

    def clean(self):
        data = super().clean()
        if data.get("group") in ("panel", "pool") and not data.get("panel"):
            self.add_error("panel", _("Choose a panel."))
        if data.get("group", "").startswith("event") and not data.get("event"):
            self.add_error("event", _("Choose an event."))
        return data


def event_choices():
    """Events to choose from; events is a separate app, read lazily."""
    try:
        from events.models import EventPage
    except Exception:  # the events app is not there (yet)
        return []
    try:
        return [(str(e.pk), f"{e.title} ({e.start:%d-%m-%Y})" if getattr(e, "start", None) else e.title)
                for e in EventPage.objects.order_by("-start")[:200]]
    except Exception:
        return []


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
