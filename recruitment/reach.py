"""Whom intermediaries reach: the funnel per channel, how the people reached compare with the
population, and "new voices". Coordinators see exact counts; anything shown to an intermediary about
people they cannot see by name passes through participation.small_cells.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from participation import small_cells
from population import dimensions

from .models import Attribution, Channel, Intermediary, Invitation, InviteLink, PoolAttribution
from .services import visible_registrations

FUNNEL_CHANNELS = [Channel.LINK, Channel.QR, Channel.SMS, Channel.EMAIL, Channel.FRIEND, Channel.ON_BEHALF]


def _live_attributions():
    return Attribution.objects.live()


def _rate(part, whole):
    return round(100 * part / whole) if whole else None


# For the intermediary's own dashboard -----------------------------------------------------------

def link_counts(link, exact=False):
    """One link's counts. The friends (people the intermediary does not know) are masked on their own;
    on the dashboard and link page they go through dashboard_figures, which protects them against the
    totals as well."""
    if link.panel_id:
        return panel_link_counts(link, exact=exact)
    direct = link.attributions.live()
    friends = _live_attributions().filter(intermediary_id=link.intermediary_id, depth__gt=1,
                                          invite_link__referrer__attribution__invite_link=link)
    return {
        "opened": link.visits + link.qr_visits + (link.invitations.aggregate(n=Sum("visits"))["n"] or 0),
        "signed_up": direct.count(),
        "attended": direct.filter(registration__attended_at__isnull=False).count(),
        "friends": friends.count() if exact else small_cells.mask(friends.count()),
    }


def panel_link_counts(link, exact=False):
    """Applications to the pool through a panel link. The intermediary does not see these volunteers
    by name, so the counts pass through small_cells."""
    from panels.models import Volunteer

    applied = PoolAttribution.objects.filter(invite_link=link).exclude(
        volunteer__status=Volunteer.Status.WITHDRAWN)
    shown = (lambda n: n) if exact else small_cells.mask
    return {
        "opened": link.visits + link.qr_visits,
        "applied": shown(applied.count()),
        "selected": small_cells.mask(applied.filter(volunteer__status=Volunteer.Status.SELECTED).count()),
    }


def link_rows(intermediary):
    links = InviteLink.objects.filter(intermediary=intermediary).select_related("event", "panel").order_by(
        "-created_at")[:100]
    return [{"link": link, "counts": link_counts(link)} for link in links]


def dashboard_figures(intermediary, limit=100):
    """The dashboard's link rows and totals, protected together (participation.small_cells).

    Friends per link add up, with friends of friends, to "through friends"; applications per panel link
    add up, with withdrawn ones, to "applied for a panel". So a link's "<5" could be worked out from the
    total and the other links: each set of counts is protected as parts of its total.
    Returns {"links": [{"link", "counts"}] (newest first, at most `limit`), "summary": {...}}.
    """
    summary = intermediary_summary(intermediary)
    links = list(InviteLink.objects.filter(intermediary=intermediary).select_related("event", "panel")
                 .order_by("-created_at"))
    counts = {link.pk: link_counts(link, exact=True) for link in links}
    hidden = str(small_cells.SECONDARY_LABEL)

    def protect(keys, field, total, total_label):
        parts = [counts[key][field] for key in keys]
        shown, shown_total, ok = small_cells.protect_parts(parts, total, total_label=total_label)
        if not ok:
            shown = [0 if part == 0 else hidden for part in parts]
            shown_total = total_label if total_label is not None else hidden
        for key, value in zip(keys, shown, strict=True):
            counts[key][field] = value
        return shown_total

    event_links = [link.pk for link in links if not link.panel_id]
    through_friends = _live_attributions().filter(intermediary=intermediary, depth__gt=1).count()
    protect(event_links, "friends", through_friends, summary["through_friends"])
    panel_links = [link.pk for link in links if link.panel_id]
    applied = PoolAttribution.objects.filter(intermediary=intermediary).count()
    summary["applied"] = protect(panel_links, "applied", applied, None)
    if summary["applied"] == hidden:
        summary["secondary"] = True
    if any(value == hidden for key in event_links + panel_links for value in counts[key].values()):
        summary["secondary"] = True
    return {"links": [{"link": link, "counts": counts[link.pk]} for link in links[:limit]], "summary": summary}


def protected_link_counts(link):
    """A link's counts exactly as the dashboard shows them."""
    if link.intermediary_id is None:
        return link_counts(link)
    figures = dashboard_figures(link.intermediary, limit=None)
    return next(row["counts"] for row in figures["links"] if row["link"].pk == link.pk)


def people_of(intermediary, limit=200):
    return (
        visible_registrations(intermediary)
        .select_related("event", "attribution", "wijk")
        .order_by("-created_at")[:limit]
    )


def invitations_of(intermediary, limit=100):
    """The invitations this intermediary sent, newest first, with whether the person signed up."""
    return (
        Invitation.objects.filter(intermediary=intermediary)
        .select_related("event", "attribution__registration", "message")
        .order_by("-created_at")[:limit]
    )


def intermediary_summary(intermediary):
    """Totals for the whole chain this intermediary started, under participation.small_cells.

    The intermediary knows the people they brought in themselves (they see them by name, with their
    age band); only the friends further down the chain are protected. Every total here is "own people +
    friends", so a total would give a small number of friends away by subtracting. The table people x
    age band (rows: own people, known; friends) is therefore protected as a whole: "signed up", "through
    friends" and the age counts show "<5" or "x" where needed. "Came" likewise: when 1-4 friends came it
    is hidden.
    """
    chain = _live_attributions().filter(intermediary=intermediary)
    own_ids = set(visible_registrations(intermediary).values_list("pk", flat=True))
    codes = [c for c, _label in dimensions.AGE_BAND_CHOICES] + [dimensions.UNKNOWN]
    own_age, friend_age = Counter(), Counter()
    own_came = friends_came = 0
    for registration_id, age_band, attended_at in chain.values_list(
        "registration_id", "registration__age_band", "registration__attended_at"
    ):
        code = age_band if age_band in codes else dimensions.UNKNOWN
        if registration_id in own_ids:
            own_age[code] += 1
            own_came += attended_at is not None
        else:
            friend_age[code] += 1
            friends_came += attended_at is not None
    used = [code for code in codes if own_age[code] or friend_age[code]]
    age_labels = dict(dimensions.AGE_BAND_CHOICES)
    summary = {
        "invited": small_cells.mask(Invitation.objects.filter(intermediary=intermediary).count()),
        "applied": small_cells.mask(PoolAttribution.objects.filter(intermediary=intermediary).count()),
    }
    own_row = [own_age[code] for code in used]
    friend_row = [friend_age[code] for code in used]
    grid = [own_row + [sum(own_row)], friend_row + [sum(friend_row)]]
    grid.append([a + b for a, b in zip(grid[0], grid[1], strict=True)] if used else [0])
    width = len(grid[0])
    protection = small_cells.protect_grid(
        grid, fixed={(0, j) for j in range(width)}, sensitive={(1, j) for j in range(width)},
    ) if used else None
    if protection is None:
        summary.update(signed_up=0, through_friends=0, by_age=[])
    elif not protection.ok:
        hidden = str(small_cells.SECONDARY_LABEL)
        summary.update(signed_up=hidden, through_friends=hidden, by_age=[])
    else:
        summary.update(
            signed_up=protection.shown(2, width - 1),
            through_friends=protection.shown(1, width - 1),
            by_age=[(age_labels.get(code, _("Unknown")), protection.shown(2, j)) for j, code in enumerate(used)],
        )
    summary["secondary"] = any(value == str(small_cells.SECONDARY_LABEL) for value in
                               [summary["signed_up"], summary["through_friends"]]
                               + [count for _label, count in summary["by_age"]])
    attended = own_came + friends_came
    if small_cells.is_publishable(friends_came):
        summary["attended"] = attended
    else:
        summary["attended"] = str(small_cells.HIDDEN_LABEL if attended < small_cells.MIN_GROUP_SIZE
                                  else small_cells.SECONDARY_LABEL)
        summary["secondary"] = summary["secondary"] or summary["attended"] == str(small_cells.SECONDARY_LABEL)
    return summary


# For coordinators -------------------------------------------------------------------------------

def funnel(events=None):
    """Rows per intermediary and channel: invited (or opened), signed up, attended, conversions."""
    attributions = _live_attributions()
    invitations = Invitation.objects.all()
    links = InviteLink.objects.filter(event__isnull=False)  # panel links: pool_funnel()
    if events is not None:
        attributions = attributions.filter(registration__event__in=events)
        invitations = invitations.filter(event__in=events)
        links = links.filter(event__in=events)

    signed = defaultdict(Counter)
    attended = defaultdict(Counter)
    for row in attributions.values("intermediary", "channel").annotate(
        n=Count("pk"), came=Count("pk", filter=Q(registration__attended_at__isnull=False))
    ):
        signed[row["intermediary"]][row["channel"]] += row["n"]
        attended[row["intermediary"]][row["channel"]] += row["came"]

    invited = defaultdict(Counter)
    for row in invitations.values("intermediary", "channel").annotate(n=Count("pk")):
        invited[row["intermediary"]][row["channel"]] += row["n"]
    for row in links.filter(intermediary__isnull=False).values("intermediary").annotate(
        v=Sum("visits"), q=Sum("qr_visits")
    ):
        invited[row["intermediary"]][Channel.LINK] += row["v"] or 0
        invited[row["intermediary"]][Channel.QR] += row["q"] or 0
    for row in links.filter(referrer__isnull=False).values("referrer__attribution__intermediary").annotate(
        v=Sum("visits"), q=Sum("qr_visits")
    ):
        invited[row["referrer__attribution__intermediary"]][Channel.FRIEND] += (row["v"] or 0) + (row["q"] or 0)
    for key, counts in signed.items():  # registering someone yourself is the invitation
        invited[key][Channel.ON_BEHALF] = counts[Channel.ON_BEHALF]

    names = {i.pk: str(i) for i in Intermediary.objects.select_related("user")}
    rows = []
    for key in sorted(set(signed) | set(invited), key=lambda k: (k is None, names.get(k, ""))):
        for channel in FUNNEL_CHANNELS:
            i, s, a = invited[key][channel], signed[key][channel], attended[key][channel]
            if not (i or s or a):
                continue
            rows.append({
                "intermediary": names.get(key, _("No intermediary (a resident's friend link)")),
                "channel": Channel(channel).label, "channel_code": str(channel), "invited": i, "signed_up": s, "attended": a,
                "signup_rate": _rate(s, i), "attendance_rate": _rate(a, s),
            })
    return rows


def pool_funnel():
    """Applications to panels' pools through intermediaries' panel links, per intermediary and channel
    (link or QR code): opened, applied (not withdrawn), selected."""
    from panels.models import Volunteer

    opened = defaultdict(Counter)
    for row in InviteLink.objects.filter(panel__isnull=False, intermediary__isnull=False).values(
        "intermediary").annotate(v=Sum("visits"), q=Sum("qr_visits")):
        opened[row["intermediary"]][Channel.LINK] += row["v"] or 0
        opened[row["intermediary"]][Channel.QR] += row["q"] or 0
    applied = defaultdict(Counter)
    selected = defaultdict(Counter)
    for row in PoolAttribution.objects.exclude(volunteer__status=Volunteer.Status.WITHDRAWN).values(
        "intermediary", "channel").annotate(
        n=Count("pk"), chosen=Count("pk", filter=Q(volunteer__status=Volunteer.Status.SELECTED))
    ):
        applied[row["intermediary"]][row["channel"]] += row["n"]
        selected[row["intermediary"]][row["channel"]] += row["chosen"]
    names = {i.pk: str(i) for i in Intermediary.objects.select_related("user")}
    rows = []
    for key in sorted(set(opened) | set(applied), key=lambda k: (k is None, names.get(k, ""))):
        for channel in (Channel.LINK, Channel.QR):
            o, a, s = opened[key][channel], applied[key][channel], selected[key][channel]
            if not (o or a or s):
                continue
            rows.append({
                "intermediary": names.get(key, _("Intermediary no longer known")),
                "channel": Channel(channel).label, "channel_code": str(channel),
                "opened": o, "applied": a, "selected": s, "apply_rate": _rate(a, o),
            })
    return rows


def _earliest_attendance():
    """{contact: earliest attended_at} over every registration ever attended."""
    from events.models import Registration

    earliest = {}
    for email, phone, when in Registration.objects.attended().values_list(
        "email", "phone", "attended_at"
    ):
        for contact in (email.lower() if email else "", phone):
            if contact and (contact not in earliest or when < earliest[contact]):
                earliest[contact] = when
    return earliest


def new_voices(registrations, earliest=None):
    """(new, total) among attended registrations: new = no earlier attended registration with the
    same email address or phone number."""
    earliest = _earliest_attendance() if earliest is None else earliest
    new = total = 0
    for email, phone, when in registrations.attended().values_list(
        "email", "phone", "attended_at"
    ):
        total += 1
        earlier = [earliest[c] for c in (email.lower() if email else "", phone) if c in earliest]
        if not any(t < when for t in earlier):
            new += 1
    return new, total


def new_voices_per_intermediary():
    """Rows per intermediary (root of the chain): attendees, first-timers among them, their share."""
    from events.models import Registration

    earliest = _earliest_attendance()
    totals = defaultdict(lambda: [0, 0])
    for intermediary_id, email, phone, when in Registration.objects.filter(
        attribution__intermediary__isnull=False, attended_at__isnull=False
    ).values_list("attribution__intermediary", "email", "phone", "attended_at"):
        earlier = [earliest[c] for c in (email.lower() if email else "", phone) if c in earliest]
        totals[intermediary_id][1] += 1
        if not any(t < when for t in earlier):
            totals[intermediary_id][0] += 1
    names = {i.pk: str(i) for i in Intermediary.objects.select_related("user").filter(pk__in=totals)}
    return sorted(
        ({"intermediary": names[pk], "new": new, "total": total, "share": _rate(new, total)}
         for pk, (new, total) in totals.items()),
        key=lambda row: row["intermediary"],
    )


def reached_registrations():
    from events.models import Registration

    return Registration.objects.filter(attribution__isnull=False).live()


def composition(dimension):
    """The people reached through intermediaries by wijk or age band, beside the population.

    With population figures imported (population), the comparison is population.representativeness's own
    (shares, plain-language verdict); without them, counts only.
    """
    report = population_report(dimension)
    if report is not None:
        dim = report.dimension(dimension)
        if dim is not None:
            from population import presentation

            rows = [{
                "key": c.category, "label": c.label, "count": c.count,
                "share": round(100 * c.share) if c.share is not None else None,
                "population_share": round(100 * c.population_share),
            } for c in dim.categories]
            return {"rows": rows, "unknown": dim.unknown, "has_population": True,
                    "verdict": [s for s in presentation.verdict(_one_dimension(report, dim))]}
    return _counts_only(dimension)


def _one_dimension(report, dim):
    from dataclasses import replace

    return replace(report, dimensions=[dim])


def population_report(dimension):
    """population.representativeness's comparison of the reached people with the municipality, or None
    when there are no population figures yet."""
    from events.groups import people_from_registrations
    from population import representativeness
    from population.figures import build_population
    from population.models import Area

    municipality = Area.objects.filter(level=Area.Level.MUNICIPALITY).first()
    if municipality is None:
        return None
    try:
        population = build_population(municipality)
    except LookupError:
        return None
    if dimension not in population.counts:
        return None
    people = people_from_registrations(reached_registrations())
    return representativeness.compare(
        {dimension: population.counts[dimension]}, people, labels=population.labels,
        dimension_labels=population.dimension_labels, strict=False, notes=population.notes,
        scope=population.scope,
    )


def _counts_only(dimension):
    from population.models import Area

    reached = reached_registrations()
    if dimension == dimensions.WIJK:
        counts = Counter(reached.values_list("wijk", flat=True))
        labels = {a.pk: a.display_name for a in Area.objects.filter(level=Area.Level.WIJK)}
    else:
        counts = Counter(reached.values_list("age_band", flat=True))
        labels = dict(dimensions.AGE_BAND_CHOICES)
    known = sum(n for key, n in counts.items() if key in labels)
    rows = [{"key": key, "label": label, "count": counts.get(key, 0), "share": _rate(counts.get(key, 0), known),
             "population_share": None} for key, label in labels.items()]
    unknown = sum(n for key, n in counts.items() if key not in labels)
    return {"rows": rows, "unknown": unknown, "has_population": False, "verdict": []}
