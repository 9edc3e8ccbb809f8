"""The ways into an app from the shared site: cards on the home page and links in the menu.

An app that has public doors or role links declares them in its own `<app>/entrances.py`, with any of:

- `doors()` → a list of `Door`: cards under "Ways to take part" on the home page (only doors that exist);
- `home_page_context(request)` → a dict merged into the home page's context (e.g. `upcoming_events`);
- `menu_links(user)` → a list of `MenuLink`: links in the main menu for a signed-in person, shown by
  permission (`accounts.permissions.may`), never by a role's group name.

`home` collects them through `participation.project_apps.app_modules("entrances")`, in INSTALLED_APPS
order, sorted by `order` (lowest first); it does not know the apps. No app imports `home`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Door:
    title: str
    text: str
    url: str
    order: int = 100

    def __iter__(self):  # templates unpack a door as (title, text, url)
        return iter((self.title, self.text, self.url))


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    order: int = 100

    def __iter__(self):  # templates unpack a link as (label, url)
        return iter((self.label, self.url))
