"""The forms behind the phone screens: they turn what a phone (or anyone) posts into clean values.

Every field a save reads goes through one of these, so a value of the wrong type, a number too large for
the database, a NUL character or an id that is not there gives a message in the user's language (and
HTTP 400 to queue.js) instead of an error page. The rules themselves stay in services.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import CyclePhase, Theme
from population import dimensions
from population.models import Area

from .models import Argument, Choice, HarvestItem, Story
from .services import MAX_COUNT

TEXT_MAX = 10_000

THEME_ERRORS = {
    "invalid_choice": _("Choose a theme from the list."),
    "invalid_pk_value": _("Choose a theme from the list."),
    "invalid_list": _("Choose a theme from the list."),
}
COUNT_ERRORS = {
    "invalid": _("Counts must be whole numbers."),
    "min_value": _("Counts cannot be negative."),
    "max_value": _("This count is too large: it can be %(limit_value)s at most."),
}
ROUND_ERRORS = {
    "invalid": _("Unknown round."),
    "min_value": _("Unknown round."),
    "max_value": _("Unknown round."),
}


class PhoneForm(forms.Form):
    """Shared by every save from a phone: the client-generated id that makes a repeated save harmless."""

    client_id = forms.CharField(required=False, max_length=64)

    def first_error(self):
        """The first problem, as one sentence for the phone's status line."""
        for errors in self.errors.values():
            return errors[0]
        return ""


def theme_field(required=False):
    return forms.ModelChoiceField(queryset=Theme.objects.all(), required=required, error_messages={
        **THEME_ERRORS, "required": _("Choose a theme.")})


def text_field(max_length=TEXT_MAX, required=False):
    return forms.CharField(required=required, max_length=max_length)


class GameActionForm(PhoneForm):
    """A save on a statement game's screens. Each action has its own form below; `action` only names it
    (kept as a field so an overlong value is refused, as before)."""

    action = forms.CharField(required=False, max_length=20)


class StatementChoiceForm(GameActionForm):
    """Show, close or reopen one statement."""

    statement = forms.CharField(required=False, max_length=20)


class TallyForm(StatementChoiceForm):
    """The cards counted for one statement, round and group."""

    round = forms.IntegerField(required=False, min_value=1, max_value=1000, error_messages=ROUND_ERRORS)
    group = text_field(80)
    agree = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT, error_messages=COUNT_ERRORS)
    disagree = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT, error_messages=COUNT_ERRORS)
    neutral = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT, error_messages=COUNT_ERRORS)


class ArgumentForm(StatementChoiceForm):
    """An argument for or against a statement, noted by the facilitator."""

    side = forms.ChoiceField(required=False, choices=[("", "")] + Argument.Side.choices,
                             error_messages={"invalid_choice": _("Choose for or against.")})
    text = text_field(300)
    group = text_field(80)


class GameSettingsForm(GameActionForm):
    """Whether results stay hidden until a statement closes, and whether online voting is open."""

    hide_results = forms.CharField(required=False, max_length=10)
    voting_open = forms.CharField(required=False, max_length=10)


class VoteForm(GameActionForm):
    """A resident's vote on one statement."""

    statement = forms.CharField(required=False, max_length=20)
    choice = forms.ChoiceField(required=False, choices=[("", "")] + Choice.choices,
                               error_messages={"invalid_choice": _("Choose agree, disagree or pass.")})


class VoterProfileForm(GameActionForm):
    """A voter's optional age band and wijk; anything unknown is "prefer not to say"."""

    age_band = forms.CharField(required=False, max_length=20)
    wijk = forms.CharField(required=False, max_length=20)

    def clean_age_band(self):  # anything else is "prefer not to say", as the services treat it
        value = self.cleaned_data["age_band"]
        return value if value in {code for code, _label in dimensions.AGE_BAND_CHOICES} else ""

    def clean_wijk(self):  # an unknown wijk is "prefer not to say"
        value = self.cleaned_data["wijk"]
        if not value.isdigit() or len(value) > 12:
            return None
        return Area.objects.filter(pk=int(value), level=Area.Level.WIJK).first()


class HarvestForm(PhoneForm):
    kind = forms.ChoiceField(choices=HarvestItem.Kind.choices, error_messages={
        "required": _("Choose what kind of note this is."),
        "invalid_choice": _("Choose what kind of note this is.")})
    text = text_field()
    theme = theme_field()
    round = forms.IntegerField(required=False, min_value=1, max_value=1000, error_messages=ROUND_ERRORS)


class StoryForm(PhoneForm):
    title = text_field(1000)
    text = text_field()
    collected_by = text_field(1000)
    teller = text_field(1000)
    theme = theme_field()
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.all(), required=False, error_messages=THEME_ERRORS)
    kind = forms.CharField(required=False, max_length=20)
    cycle_phase = forms.CharField(required=False, max_length=40)
    consent = forms.CharField(required=False, max_length=10)

    def clean_kind(self):  # as before: anything else is a story
        value = self.cleaned_data["kind"]
        return value if value in Story.Kind.values else Story.Kind.STORY

    def clean_cycle_phase(self):
        value = self.cleaned_data["cycle_phase"]
        return value if value in CyclePhase.values else None


class ResponseForm(PhoneForm):
    theme = theme_field()
    professionals = text_field()
    administrators = text_field()
    responders = text_field(1000)
