"""Retention rule for links to one's own data: an expired link (one hour) is deleted with its address.

(`accounts.services.request_link` also deletes expired links whenever someone asks for a new one.)
"""

from .services import purge_expired_links


def apply(now):
    return {"expired 'my data' links deleted": purge_expired_links(now)}
