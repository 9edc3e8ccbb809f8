"""Where the invite link someone came in through is remembered, as plain data for the services.

recruitment.services.follow stores {"link", "invitation", "via", "event", "panel"} (ids and how the link
was opened) in the visitor's session under INVITE_SESSION_KEY. The sign-up views of events and panels
read it with `invite_from_session` and pass it to their service, which sends it with its signal
(events.signals.registration_created, panels.signals.volunteer_applied) to recruitment. So no service or
receiver needs the HTTP request, and events and panels need not know recruitment.
"""

INVITE_SESSION_KEY = "recruitment_invite"


def invite_from_session(session):
    """The invite link remembered in this session, as a plain dict of ids (or None)."""
    remembered = (session or {}).get(INVITE_SESSION_KEY)
    return dict(remembered) if remembered else None
