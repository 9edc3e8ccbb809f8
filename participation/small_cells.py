"""The small-cell rule, in one place: published figures never show a group of fewer than 5 people.

Anything shown outside a coordinator's own screen (public pages, exports, an intermediary's dashboard)
passes its counts through here. Coordinators see exact counts.
"""

from django.utils.translation import gettext_lazy as _

MIN_GROUP_SIZE = 5
HIDDEN_LABEL = _("<5")


def is_publishable(count):
    """A count can be shown as is when it is zero or at least MIN_GROUP_SIZE."""
    return count == 0 or count >= MIN_GROUP_SIZE


def mask(count):
    """The count as it may be published: 1-4 becomes "<5"."""
    return count if is_publishable(count) else str(HIDDEN_LABEL)


def mask_counts(counts):
    """Mask every value of a {category: count} mapping."""
    return {key: mask(value) for key, value in counts.items()}


def hide_small_groups(groups, size=len):
    """Keep only groups (of any kind) whose size is at least MIN_GROUP_SIZE; for splits by group."""
    return {key: value for key, value in groups.items() if size(value) >= MIN_GROUP_SIZE}
