"""The access log: who viewed, searched or exported residents' personal data, when, and which records.

One call per screen or export: `record(request.user, "export", model=Registration, ids=[…], filters=…,
count=n)`. It never stores the personal values themselves: free-text searches are kept only as "a search
was made" (`SEARCHED`), and only the keys in `filters` that are not search boxes keep their value (status,
event, page …). Coordinators read it in the admin under Reports → "Access log"; `accounts/retention.py`
deletes entries after `RETENTION["access_log_months"]`.
"""

SEARCH_KEYS = {"q", "search", "query", "zoek", "term"}
SEARCHED = "<search>"
MAX_IDS = 1000

ACTIONS = ("view", "list", "search", "export", "erase")


def _model_label(model):
    meta = getattr(model, "_meta", None)
    if meta is not None:
        return meta.label_lower
    return str(model)


def clean_filters(filters):
    """The filters as they may be stored: search text replaced by a marker, empty values left out."""
    cleaned = {}
    for key, value in dict(filters or {}).items():
        if value in (None, "", [], ()):
            continue
        if key.lower() in SEARCH_KEYS:
            cleaned[key] = SEARCHED
        elif isinstance(value, (list, tuple)):
            cleaned[key] = [str(item)[:100] for item in value][:20]
        else:
            cleaned[key] = str(value)[:100]
    return cleaned


def record(user, action, *, model, ids=None, filters=None, count=None, where=""):
    """Write one access-log entry and return it. `model` is a model class or instance, or "app.model"."""
    from accounts.models import AccessLogEntry

    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    ids = [int(pk) if str(pk).isdigit() else str(pk) for pk in (ids or [])]
    if count is None and ids:
        count = len(ids)
    authenticated = getattr(user, "is_authenticated", False)
    return AccessLogEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action, model=_model_label(model), where=where[:100],
        object_ids=ids[:MAX_IDS], filters=clean_filters(filters), count=count,
    )
