"""Who is knocking at the staff login: the login name, for django-axes' counters.

The client's address comes from `participation.http.client_ip`, the one rule (TRUSTED_PROXIES) that the
rate limits use too.
"""


def login_name(request, credentials=None):
    """The account a login attempt is for, whichever form sent it (username or email, any case)."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("login") or data.get("username") or ""
    return str(name or "").strip().lower()[:255]
