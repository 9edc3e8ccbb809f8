"""Forms of the population app: the coordinators' import and representativeness screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import groups
from .models import Area, PopulationDataset


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
