"""Forms of the population app: the demographic questions every sign-up form asks (DemographicsFormMixin),
and the coordinators' import and representativeness screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import dimensions, groups
from .models import Area, PopulationDataset

PREFER = [dimensions.PREFER_NOT_TO_SAY]
DEMOGRAPHIC_FIELDS = ["age_band", "gender", "wijk", "origin_consent", "origin"]


class DemographicsFormMixin(forms.Form):
    """The questions about age, gender, wijk and origin, each with "I prefer not to say" (population.models
    .Demographics holds the answers). Origin counts only with explicit consent: an origin without the
    consent box ticked is refused with a clear message.

    A form may set `origin_consent_label` (the consent sentence, saying what origin is used for) and
    `age_band_help`; the questions come after the form's own fields unless its `field_order` says
    otherwise; it fills the wijk choices through `wijk_choices()` ([(value, label)]) and turns the
    chosen value into what it stores in `clean_wijk` (both overridable). Call super().clean().
    """

    origin_consent_label = _("I agree to tell you my origin. This is sensitive information; you use it only to see "
                             "whether everyone takes part, and never show it per person.")
    age_band_help = ""

    age_band = forms.ChoiceField(label=_("Your age"), required=False, choices=PREFER + dimensions.AGE_BAND_CHOICES)
    gender = forms.ChoiceField(label=_("Your gender"), required=False, choices=PREFER + dimensions.GENDER_CHOICES)
    wijk = forms.ChoiceField(label=_("The wijk you live in"), required=False)
    origin_consent = forms.BooleanField(required=False)
    origin = forms.ChoiceField(label=_("Where were you and your parents born?"), required=False,
                               choices=PREFER + dimensions.ORIGIN_CHOICES,
                               help_text=_("Only if you ticked the box above."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.field_order is None:  # the questions about the person come after the form's own fields
            for name in DEMOGRAPHIC_FIELDS:
                self.fields[name] = self.fields.pop(name)
        self.fields["wijk"].choices = PREFER + list(self.wijk_choices())
        self.fields["origin_consent"].label = self.origin_consent_label
        if self.age_band_help:
            self.fields["age_band"].help_text = self.age_band_help

    def wijk_choices(self):
        """The wijken to choose from, by the name people use."""
        return sorted(((str(a.pk), a.display_name) for a in Area.objects.filter(level=Area.Level.WIJK)),
                      key=lambda choice: choice[1])

    def clean(self):
        data = super().clean()
        if data.get("origin") and not data.get("origin_consent"):
            self.add_error("origin", _("Tick the consent box if you want to tell us your origin, or choose "
                                       "'I prefer not to say'."))
        return data


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


class RepresentativenessForm(forms.Form):
    """Choose a group (from the registry in population.groups), its object, and what to compare with.

    Each provider names the parameter of its object ("panel", "event"); providers that share it share one
    chooser, so links like ?group=pool&panel=3 keep working."""

    group = forms.ChoiceField(label=_("Group"))
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
        self.providers = {p.key: p for p in groups.providers()}
        self.fields["group"].choices = [(p.key, p.label) for p in self.providers.values()]
        if self.providers:
            self.fields["group"].initial = next(iter(self.providers))
        chooser_fields = {}
        for provider in self.providers.values():
            if provider.field not in chooser_fields:
                chooser_fields[provider.field] = forms.ChoiceField(
                    label=provider.field_label, required=False,
                    choices=[("", "---------"), *provider.choices()])
        # The choosers go right after the group, as the screen always showed them.
        ordered = {"group": self.fields["group"], **chooser_fields}
        ordered.update((name, field) for name, field in self.fields.items() if name != "group")
        self.fields = ordered

    def clean(self):
        data = super().clean()
        provider = self.providers.get(data.get("group"))
        if provider is not None:
            if not data.get(provider.field):
                self.add_error(provider.field, provider.field_required)
            else:
                data["provider"], data["object_id"] = provider, data[provider.field]
        return data
