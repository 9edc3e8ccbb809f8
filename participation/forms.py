"""Form helpers every public form shares, so screen-reader users hear help and errors the same way."""

from django import forms


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
