import re

from django import template

register = template.Library()


@register.filter
def tel_href(number):
    """`tel:` target without spaces, dashes or brackets ("14 030" -> "tel:14030"; "+31 (0)30 ..." keeps +)."""
    text = str(number or "").replace("(0)", "")
    digits = re.sub(r"[^\d+]", "", text)
    return f"tel:{digits}" if digits else ""
