from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def describe(bound_field, error):
    """Render a form field with aria-describedby pointing at its help text and error."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.id_for_label}-help")
    attrs = {}
    if error:
        ids.append(f"{bound_field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return bound_field.as_widget(attrs=attrs)
