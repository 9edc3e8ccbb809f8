"""Accessible form errors, the same on every form (issue 16, WCAG 3.3.1 and 2.4.2).

`{% error_summary form %}` puts one summary above a form: a heading, every field in error as a link to
that field, errors that belong to no field, and a script (with the page's CSP nonce) that moves focus to
the summary. `{% error_title_prefix %}` in the base layout starts the page title with "Fout:" / "Error:"
whenever the page shows a form with errors, so a screen reader hears it first.
"""

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext as _

register = template.Library()


def _messages(value):
    if isinstance(value, str):
        return [value]
    return [str(message) for message in value]


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context, form=None, errors=None, intro=None, extra=None):
    """errors: a {field name: message(s)} dict when the view keeps its own (default: form.errors);
    extra: one more message that belongs to no field."""
    if errors is None:
        errors = form.errors if form is not None else {}
    fields, general = [], []
    for name, value in errors.items():
        messages = _messages(value)
        if form is None or name not in form.fields or form[name].is_hidden:
            general.extend(messages)
            continue
        bound = form[name]
        fields.append({"id": bound.id_for_label, "label": bound.label, "message": messages[0] if messages else ""})
    if extra:
        general.append(str(extra))
    request = context.get("request")
    return {
        "show": bool(fields or general),
        "fields": fields,
        "general": general,
        "intro": intro or _("Something is not right yet. Please check these fields:"),
        "nonce": getattr(request, "csp_nonce", ""),
    }


def page_has_errors(context):
    """True when the page shows a submitted form with errors (a Django form, or a view's own errors dict
    named `errors`)."""
    for layer in context.dicts:
        for key, value in layer.items():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
            if key in ("errors", "form_errors") and isinstance(value, dict) and value:
                return True
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    return _("Error:") + " " if page_has_errors(context) else ""
