"""One handler, one form per action, for screens where several buttons post to one address.

A phone screen (check-in, a facilitator's game) or a link page has several buttons in one place; they
post to the page's own address with `action=<name>` (so the offline queue and bookmarks keep working).
Instead of one view that branches on the action, the view names a handler per action:

    ACTIONS = {"pause": _pause, "resume": _resume}

    def link_detail(request, code):
        if request.method == "POST":
            response = handle_action(request, ACTIONS, link)
            ...

Each handler validates its own form and calls one service. An unknown action is answered by `unknown`
(by default: nothing happens, None is returned, and the view shows its page again).
"""


def action_of(request, default=""):
    """The posted action: one short name; several values or an overlong one count as none."""
    values = request.POST.getlist("action")
    value = values[0] if len(values) == 1 else ""
    return value if value and len(value) <= 40 else default


def handle_action(request, handlers, *args, default="", unknown=None, **kwargs):
    """Call the handler for the posted action with (request, *args, **kwargs); its answer is returned."""
    handler = handlers.get(action_of(request, default))
    if handler is None:
        return unknown(request, *args, **kwargs) if unknown else None
    return handler(request, *args, **kwargs)
