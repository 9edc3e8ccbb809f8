"""The registry of groups of people that can be compared with the population.

Apps that hold people (events: registrants and attendees; panels: pools and panels; later respondents)
register a `GroupProvider` in their own `groups.py`, which this registry imports on first use
(`autodiscover_modules`). The representativeness screen and command ask the registry, so this app never
imports the apps above it, and those apps do not import each other to be compared.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Subject:
    """What the comparison needs to know about the chosen object: its name and its defaults."""

    title: str
    area: Any = None  # population.models.Area the group belongs to (None: the whole municipality)
    min_age: int | None = None
    max_age: int | None = None
    size: int | None = None  # target size (None: the number of people in the group)


@dataclass(frozen=True)
class GroupProvider:
    """One kind of group.

    key: stable identifier ("panel", "event_attendees"), used in URLs and the command line.
    label: shown to coordinators ("Members of a panel").
    field: the name of the object parameter ("panel", "event"); providers of one app share it.
    field_label / field_required: the chooser's label and its message when nothing is chosen.
    choices(): [(object id, label)] of the objects a coordinator may choose.
    people(object_id): [{dimension: value}] of the group (see representativeness.person_values).
    subject(object_id): a Subject; raises LookupError when the object does not exist.
    """

    key: str
    label: Any
    field: str
    field_label: Any
    field_required: Any
    choices: Callable[[], list]
    people: Callable[[Any], list]
    subject: Callable[[Any], Subject]
    order: int = 100


_providers: dict[str, GroupProvider] = {}
_discovered = False


def register(provider):
    """Register (or replace) the provider under its key."""
    _providers[provider.key] = provider
    return provider


def _discover():
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("groups")


def providers():
    """Every registered provider, in order."""
    _discover()
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def get(key):
    """The provider for `key`; KeyError when there is none."""
    _discover()
    return _providers[key]
