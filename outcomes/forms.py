from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import OptimisticLockMixin, phone_help

from .models import SIGNAL_MAX_LENGTH, Department, SignalKind, SignalStatus


class SignalForm(forms.Form):
    """The one public form. Residents do not classify what they tell us."""

    text = forms.CharField(
        label=_("What do you want to tell us?"),
        help_text=_("Describe the problem, signal or idea in your own words."),
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": SIGNAL_MAX_LENGTH}),
        max_length=SIGNAL_MAX_LENGTH + 1000,  # the service gives the clear message
        required=False,
    )
    place = forms.CharField(
        label=_("Where is it about? (optional)"), help_text=_("A street, a wijk or a place."),
        required=False, max_length=300,
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=300)
    email = forms.CharField(
        label=_("Email address (optional)"),
        help_text=_("We send a confirmation and news about your message."),
        required=False, max_length=300, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        help_text=phone_help(_("For a text message with news about your message.")),
        required=False, max_length=40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # A honeypot: hidden from people (and from screen readers), filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))


class SignalTriageForm(OptimisticLockMixin, forms.Form):
    """What staff do with a signal in the admin; saved through services.handle_signal.

    Opened with `lock_instance=signal`: a save based on a signal that someone else changed meanwhile
    (closed it, passed it on) is refused and shows what is stored now.
    """

    lock_fields = ["kind", "theme", "department", "status", "closed_at", "routed_at", "last_reply_at"]

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—")] + list(SignalKind.choices), required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    route = forms.BooleanField(
        label=_("Pass on to the department by email now"), required=False,
        help_text=_("The department gets the text of the signal and a link to this page, without the resident's contact details."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=SignalStatus.choices)
    public_message = forms.CharField(
        label=_("Message to the resident"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the resident's personal page and sent to them if they left an address."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from content.models import Theme

        self.fields["theme"].queryset = Theme.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("route") and not data.get("department"):
            self.add_error("department", _("Choose a department to pass the signal on to."))
        return data


class OutcomeFilterForm(forms.Form):
    """The filters of the outcomes index and feeds (?theme=<slug>&wijk=<code>&status=<status>). A value
    that cannot be one (a NUL character, far too long) is left out instead of reaching the database."""

    theme = forms.SlugField(required=False, max_length=100)
    wijk = forms.CharField(required=False, max_length=12)
    status = forms.CharField(required=False, max_length=20)

    def valid_values(self):
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
