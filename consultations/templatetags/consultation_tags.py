from django import template
from django.utils.safestring import mark_safe

from ..results import pct_text

register = template.Library()


@register.filter
def pct(value):
    return pct_text(value) if value is not None else "–"


@register.filter
def moe(value):
    return ("± " + pct_text(value)) if value is not None else ""


@register.filter
def mark(value):
    from django.utils.formats import number_format

    return number_format(round(value, 1), decimal_pos=1) if value is not None else "–"


@register.simple_tag
def svg(text):
    """Our own SVG (built with escaped texts in consultations.results)."""
    return mark_safe(text)  # noqa: S308 - every text inside was escaped when the SVG was built
