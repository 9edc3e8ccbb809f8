"""Signals other apps listen to, so events need not know about them.

`registration_created(sender=Registration, registration=..., invite=...)` is sent inside the sign-up
transaction (recruitment uses it to attribute a sign-up to the invite link someone came in through).
`invite` is plain data, never the HTTP request: see participation.invites.

`event_page_links(sender=EventPage, event=...)` is sent while an event page is built; each receiver returns
a list of (label, url) that the page lists under "More about this event" (formats offers its voting link,
results, harvest and report this way, so events does not import formats).
"""

from django.dispatch import Signal

registration_created = Signal()
event_page_links = Signal()


def links_for(event):
    """Every (label, url) the apps above events offer for this event's page, in app order."""
    links = []
    for _receiver, answer in event_page_links.send(sender=type(event), event=event):
        links.extend(answer or [])
    return links
