"""What the home page shows: every way to take part, and what the apps add (the next events).

Home does not know the other apps: each declares its doors in `<app>/entrances.py`
(`participation.entrances`), found in INSTALLED_APPS order. A site without (say) outcome pages simply
shows fewer doors.
"""

from participation.project_apps import app_modules


def ways_to_take_part():
    """Cards for the home page, as (title, text, url). Only doors that exist are shown."""
    doors = []
    for _app, module in app_modules("entrances"):
        if hasattr(module, "doors"):
            doors.extend(module.doors())
    # sorted() is stable: equal orders keep INSTALLED_APPS order.
    return [tuple(door) for door in sorted(doors, key=lambda door: door.order)]


def home_page_context(request):
    """What the apps add to the home page's context (e.g. events: `upcoming_events`)."""
    context = {}
    for _app, module in app_modules("entrances"):
        if hasattr(module, "home_page_context"):
            context.update(module.home_page_context(request))
    return context


def menu_links(user):
    """The apps' links for this signed-in person, ordered (each app checks permissions, not roles)."""
    links = []
    for _app, module in app_modules("entrances"):
        if hasattr(module, "menu_links"):
            links.extend(module.menu_links(user))
    return sorted(links, key=lambda link: link.order)
