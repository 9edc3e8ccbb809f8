"""The messages people who applied for a panel get, in the language they applied in (B1 Dutch/English).

As in events.notices: the `*_notice(s)` functions only build `messaging.services.Notice`s; the others store
them through `notify_many`, so delivery is always the message worker's. Every key starts with
`panels:application:<id>:` (a person's messages): the key makes "send this once" a database rule, a
person's pending reminder can be cancelled by prefix, and erasure (`personal_data.erase`) removes them all.
"""

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from messaging.gsm import segments, to_gsm7
from messaging.services import Contact, Notice, cancel_pending, notify_many

PURPOSE = "panel_application"


def prefix(volunteer):
    return f"panels:application:{volunteer.pk}"


def personal_url(volunteer):
    """The person's own page (no account): status, answer, withdraw, contact details."""
    with translation.override(volunteer.language or "nl"):
        path = reverse("panels:application", args=[volunteer.token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def deadline_text(volunteer):
    return date_format(timezone.localtime(volunteer.respond_by), "l j F Y") if volunteer.respond_by else ""


def fit_sms(template, title, **values):
    """Fill an SMS template; shorten the panel's name until the text fits one GSM-7 SMS if it can."""
    text = to_gsm7(template.format(title=title, **values))
    shortened = title
    while segments(text) > 1 and len(shortened) > 8:
        shortened = shortened[: max(8, len(shortened) - 6)].rstrip(" ,.:;-")
        text = to_gsm7(template.format(title=shortened + "...", **values))
    return text


def _notice(volunteer, key, subject, paragraphs, sms_template, *, send_after=None):
    panel = volunteer.panel
    url = personal_url(volunteer)
    body = "\n\n".join([_("Dear %(name)s,") % {"name": volunteer.name}, *paragraphs,
                        _("Your page, to see your application or change it: %(url)s") % {"url": url}])
    sms = fit_sms(sms_template, panel.name, url=url, date=deadline_text(volunteer))
    return Notice(Contact(email=volunteer.email, phone=volunteer.phone), dedupe_key=f"{prefix(volunteer)}:{key}",
                  subject=subject, email_body=body, sms_body=sms, purpose=PURPOSE, send_after=send_after)


def _term(panel):
    if panel.term_start and panel.term_end:
        return _("The panel meets from %(start)s to %(end)s.") % {
            "start": date_format(panel.term_start, "j F Y"), "end": date_format(panel.term_end, "j F Y")}
    if panel.term_start:
        return _("The panel starts on %(start)s.") % {"start": date_format(panel.term_start, "j F Y")}
    return ""


# --- building ------------------------------------------------------------------------------------------

def application_notice(volunteer):
    with translation.override(volunteer.language or "nl"):
        panel = volunteer.panel
        return replace(_notice(
            volunteer, "", _("You applied for %(panel)s") % {"panel": panel.name},
            [_("Thank you for applying for %(panel)s. Members are chosen by a fair lottery so that the panel "
               "looks like the population. We will let you know whether you are chosen.") % {"panel": panel.name},
             _("Your number in the published lottery record: %(reference)s.") % {"reference": volunteer.reference}],
            _("Thank you for applying for {title}. Your number: %(reference)s. Your page: {url}") % {
                "reference": volunteer.reference},
        ), dedupe_key=prefix(volunteer))


def application_again_notice(volunteer, bucket):
    with translation.override(volunteer.language or "nl"):
        panel = volunteer.panel
        return _notice(
            volunteer, f"again:{bucket}", _("Your application for %(panel)s") % {"panel": panel.name},
            [_("Someone applied for %(panel)s with your email address or mobile number. You had already "
               "applied, so nothing has changed. Was this not you? Then you do not need to do anything.")
             % {"panel": panel.name},
             _("Your number in the published lottery record: %(reference)s.") % {"reference": volunteer.reference}],
            _("You had already applied for {title}. Nothing has changed. Your page: {url}"),
        )


def reminder_at(volunteer, now):
    """One reminder: two days before the deadline, or halfway when the time to answer is short."""
    if not volunteer.respond_by:
        return None
    at = volunteer.respond_by - timedelta(days=2)
    if at <= now + timedelta(hours=12):
        at = now + (volunteer.respond_by - now) / 2
    return at


def selected_notices(volunteer, now=None):
    """The invitation to confirm or decline, and its one reminder (cancelled when they answer)."""
    now = now or timezone.now()
    with translation.override(volunteer.language or "nl"):
        panel = volunteer.panel
        date = deadline_text(volunteer)
        ask = [_("Good news: the lottery chose you for %(panel)s.") % {"panel": panel.name},
               _term(panel),
               _("Do you want to take part? Please say yes or no before %(date)s on your page (the link is "
                 "below). If we do not hear from you by then, your place goes to someone else.") % {"date": date}]
        invitation = _notice(
            volunteer, "selected", _("You are chosen for %(panel)s: please answer before %(date)s") % {
                "panel": panel.name, "date": date},
            [p for p in ask if p],
            _("You are chosen for {title}! Yes or no? Answer before {date}: {url}"),
        )
        reminder = _notice(
            volunteer, "reminder", _("Reminder: please answer before %(date)s") % {"date": date},
            [_("We have not heard from you yet. The lottery chose you for %(panel)s.") % {"panel": panel.name},
             _("Please say yes or no before %(date)s on your page. If we do not hear from you by then, your "
               "place goes to someone else.") % {"date": date}],
            _("Reminder: you are chosen for {title}. Yes or no? Answer before {date}: {url}"),
            send_after=reminder_at(volunteer, now),
        )
    return [invitation, reminder]


def not_selected_notice(volunteer):
    with translation.override(volunteer.language or "nl"):
        panel = volunteer.panel
        if volunteer.reserve_consent:
            reserve = _("You are on the reserve list. If someone drops out, a new lottery may still choose "
                        "you. We will let you know.")
            sms = _("The lottery for {title} did not choose you this time. You are on the reserve list. "
                    "Info: {url}")
        else:
            reserve = _("You are not on the reserve list, so we will not contact you about this panel again.")
            sms = _("The lottery for {title} did not choose you this time. Thank you for applying. Info: {url}")
        return _notice(
            volunteer, "not-selected", _("The lottery for %(panel)s") % {"panel": panel.name},
            [_("Thank you for applying for %(panel)s. Many people applied. The lottery did not choose you "
               "this time.") % {"panel": panel.name}, reserve],
            sms,
        )


def answer_notice(volunteer, key):
    """After a change of status: confirmed, declined, no-answer, withdrawn, left."""
    with translation.override(volunteer.language or "nl"):
        name = volunteer.panel.name
        texts = {
            "confirmed": (_("You are a member of %(panel)s") % {"panel": name},
                          [_("Thank you for saying yes. You are a member of %(panel)s. We will send you the "
                             "dates of the meetings.") % {"panel": name}, _term(volunteer.panel)],
                          _("Thank you! You are a member of {title}. Your page: {url}")),
            "declined": (_("You said no to %(panel)s") % {"panel": name},
                         [_("Thank you for letting us know. Your place goes to someone else.")],
                         _("Thank you for letting us know. Your place in {title} goes to someone else.")),
            "no-answer": (_("We did not hear from you: %(panel)s") % {"panel": name},
                          [_("We did not get your answer in time, so your place in %(panel)s goes to someone "
                             "else. Thank you for applying.") % {"panel": name}],
                          _("We did not get your answer in time. Your place in {title} goes to someone else.")),
            "withdrawn": (_("Your application for %(panel)s is withdrawn") % {"panel": name},
                          [_("You have withdrawn your application. We will not contact you about this panel "
                             "again.")],
                          _("Your application for {title} is withdrawn.")),
            "left": (_("You have left %(panel)s") % {"panel": name},
                     [_("You have left the panel. Thank you for taking part.")],
                     _("You have left {title}. Thank you for taking part.")),
        }
        subject, paragraphs, sms = texts[key]
        return _notice(volunteer, key, subject, [p for p in paragraphs if p], sms)


def contact_changed_notice(volunteer, old_contact, stamp):
    """Sent to the old and the new address: someone changed the contact details with the personal link."""
    with translation.override(volunteer.language or "nl"):
        name = volunteer.panel.name
        notice = _notice(
            volunteer, f"contact:{stamp}", _("Your details for %(panel)s are changed") % {"panel": name},
            [_("Your contact details for %(panel)s were changed on your page. Was this not you? Then contact "
               "the municipality.") % {"panel": name}],
            _("Your details for {title} were changed. Not you? Contact the municipality."),
        )
    notices = [notice]
    if old_contact != notice.contact:
        notices.append(replace(notice, contact=old_contact, dedupe_key=f"{notice.dedupe_key}:old"))
    return notices


# --- sending ---------------------------------------------------------------------------------------------

def send(notices):
    return notify_many(list(notices))


def application(volunteer):
    return send([application_notice(volunteer)])


def application_again(volunteer, bucket):
    return send([application_again_notice(volunteer, bucket)])


def cancel_reminder(volunteer):
    return cancel_pending(f"{prefix(volunteer)}:reminder")
