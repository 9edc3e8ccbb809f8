from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.forms import AccessibleForm

from . import services


class MyDataRequestForm(AccessibleForm):
    """Where to send the link: one email address or one mobile number."""

    contact = forms.CharField(
        label=_("Your email address or mobile number"), max_length=254,
        help_text=_("The address or number you used to sign up, for example name@example.nl or 06 12345678."),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}),
        error_messages={"required": _("Fill in your email address or mobile number.")},
    )

    def clean_contact(self):
        try:
            return services.parse_contact(self.cleaned_data["contact"])
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None


class EraseForm(forms.Form):
    """The confirmation step: only a POST with this field erases."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="erase")

    def clean_confirm(self):
        if self.cleaned_data["confirm"] != "erase":
            raise ValidationError(_("Confirm that you want your data erased."))
        return "erase"
