"""The reach report: funnel per intermediary and channel, new voices, composition, retention."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.services import mark_attended
from participation.small_cells import HIDDEN_LABEL
from recruitment import reach, retention, services
from recruitment.models import Invitation, OnBehalfRecord

from .conftest import signup

pytestmark = pytest.mark.django_db


def via(link, visitor, via=""):
    request = visitor()
    services.follow(link.code, via=via, session=request.session)
    return request


def test_funnel_per_intermediary_and_channel(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    via(link, visitor)  # opened, no sign-up
    people = [signup(event, n, request=via(link, visitor)) for n in range(3)]
    mark_attended(people[0])
    services.send_invitations(intermediary, event, "0611111111, 0622222222")
    signup(event, 9, email="", phone="0611111111", request=visitor())

    rows = {row["channel_code"]: row for row in reach.funnel()}
    assert (rows["link"]["invited"], rows["link"]["signed_up"], rows["link"]["attended"]) == (4, 3, 1)
    assert rows["link"]["signup_rate"] == 75 and rows["link"]["attendance_rate"] == 33
    assert (rows["sms"]["invited"], rows["sms"]["signed_up"], rows["sms"]["signup_rate"]) == (2, 1, 50)


def test_new_voices(make_event, intermediary, visitor):
    earlier, later = make_event("Eerder", days=2), make_event("Later", days=9)
    veteran_before = signup(earlier, 1)
    mark_attended(veteran_before, now=timezone.now() - timedelta(days=30))
    link = services.create_link(intermediary, later)
    veteran = signup(later, 1, request=via(link, visitor))
    newcomer = signup(later, 2, request=via(link, visitor))
    mark_attended(veteran)
    mark_attended(newcomer)
    rows = reach.new_voices_per_intermediary()
    assert rows == [{"intermediary": str(intermediary), "new": 1, "total": 2, "share": 50}]


def test_composition_by_age_band(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    signup(event, 1, age_band="15-24", request=via(link, visitor))
    signup(event, 2, age_band="15-24", request=via(link, visitor))
    signup(event, 3, request=via(link, visitor))
    signup(event, 4, age_band="65+", request=visitor())  # not reached by an intermediary
    table = reach.composition("age_band")
    young = next(row for row in table["rows"] if row["key"] == "15-24")
    assert (young["count"], young["share"], table["unknown"]) == (2, 100, 1)


def test_intermediary_summary_masks_small_groups(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    for n in range(6):
        signup(event, n, age_band="15-24" if n < 5 else "25-44", request=via(link, visitor))
    summary = reach.intermediary_summary(intermediary)
    assert summary["signed_up"] == 6
    ages = dict(summary["by_age"])
    assert sorted(ages.values(), key=str) == sorted([5, str(HIDDEN_LABEL)], key=str)


def test_coordinator_report_page(event, intermediary, visitor, client, coordinator):
    from django.contrib.auth.models import Group

    link = services.create_link(intermediary, event)
    signup(event, 1, request=via(link, visitor, via="qr"))
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    client.force_login(coordinator)
    response = client.get(reverse("recruitment_reach"))
    assert response.status_code == 200
    assert str(intermediary) in response.content.decode()
    client.force_login(intermediary.user)
    assert client.get(reverse("recruitment_reach")).status_code in (302, 403)


def test_retention_clears_contacts_after_the_event(make_event, intermediary):
    event = make_event(days=7)
    services.send_invitations(intermediary, event, "0612345678")
    services.register_on_behalf(intermediary, {
        "event": event, "name": "Kind", "contact_via": "resident", "phone": "0687654321",
        "under_16": "yes", "guardian_name": "Ouder", "guardian_consent_method": "paper",
        "consent_method": "spoken", "consent_given_at": timezone.now(),
    })
    assert retention.apply(timezone.now()) == {"invitation contacts removed": 0, "guardian names removed": 0}
    later = event.end + timedelta(days=retention.contact_days() + 1)
    assert retention.apply(later)["invitation contacts removed"] == 1
    invitation = Invitation.objects.get()
    assert invitation.contact_display == "" and invitation.contact_hash.startswith("cleared:")
    much_later = event.end + timedelta(days=31 * 13)
    assert retention.apply(much_later)["guardian names removed"] == 1
    assert OnBehalfRecord.objects.get().guardian_name == ""


def test_composition_uses_the_panels_population_when_imported(event, intermediary, visitor):
    from population.models import Area, PopulationCount, PopulationDataset

    town = Area.objects.create(code="GM0344", name="Utrecht", level=Area.Level.MUNICIPALITY)
    dataset = PopulationDataset.objects.create(name="KWB", source="cbs_kwb", year=2024, area=town)
    for band, count in {"0-14": 200, "15-24": 200, "25-44": 300, "45-64": 200, "65+": 100}.items():
        PopulationCount.objects.create(dataset=dataset, area=town, dimension="age_band", category=band,
                                       count=count)
    link = services.create_link(intermediary, event)
    for n in range(4):
        signup(event, n, age_band="15-24", request=via(link, visitor))
    table = reach.composition("age_band")
    assert table["has_population"]
    young = next(row for row in table["rows"] if row["key"] == "15-24")
    assert (young["count"], young["share"], young["population_share"]) == (4, 100, 20)
    assert table["verdict"]


def _bring_friends(event, link, visitor, own, friends, age_band="15-24"):
    """`own` people through the intermediary's link; the first of them brings `friends` friends."""
    people = [signup(event, n, age_band=age_band, request=via(link, visitor)) for n in range(own)]
    friend_link = services.friend_link_for(people[0])
    for n in range(friends):
        request = visitor()
        services.follow(friend_link.code, session=request.session)
        signup(event, 100 + n, age_band=age_band, request=request)
    return people


def test_dashboard_totals_do_not_give_a_small_number_of_friends_away(event, intermediary, visitor):
    """Issue 11, point 8: the intermediary sees their own 7 people by name; "signed up 9" next to them
    would say that exactly 2 friends signed up, although "through friends" reads "<5"."""
    link = services.create_link(intermediary, event)
    _bring_friends(event, link, visitor, own=7, friends=2)
    summary = reach.intermediary_summary(intermediary)
    assert summary["through_friends"] == str(HIDDEN_LABEL)
    assert not isinstance(summary["signed_up"], int)  # 9 - 7 = 2
    assert all(not isinstance(count, int) for _label, count in summary["by_age"])


def test_dashboard_shows_exact_totals_when_friends_are_none_or_many(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    _bring_friends(event, link, visitor, own=3, friends=6)
    summary = reach.intermediary_summary(intermediary)
    assert (summary["signed_up"], summary["through_friends"]) == (9, 6)
    assert summary["by_age"] == [(summary["by_age"][0][0], 9)]


def test_dashboard_came_hides_a_small_number_of_friends_who_came(event, intermediary, visitor):
    from events.models import Registration

    link = services.create_link(intermediary, event)
    _bring_friends(event, link, visitor, own=6, friends=6)
    for registration in Registration.objects.filter(event=event).order_by("pk")[:7]:
        mark_attended(registration)  # the 6 own people and 1 friend
    assert reach.intermediary_summary(intermediary)["attended"] == "x"


def test_friends_per_link_cannot_be_worked_out_from_the_total(event, intermediary, visitor):
    """Link A: 1 friend ("<5"), link B: 7, through friends: 8. Showing the 7 would give the 1 away: "<5"
    is at least 1, and the friends in no link (friends of friends) at least 0, so 8 - 7 = 1 exactly.
    (With 2 and 6 the 6 may stay: the intermediary cannot know whether there are friends of friends,
    so A could be 1 or 2.)"""
    first, second = services.create_link(intermediary, event), services.create_link(intermediary, event)

    def person_with_friends(link, number, friends):
        person = signup(event, number, age_band="15-24", request=via(link, visitor))
        friend_link = services.friend_link_for(person)
        for n in range(friends):
            request = visitor()
            services.follow(friend_link.code, session=request.session)
            signup(event, number * 100 + n, age_band="15-24", request=request)

    person_with_friends(first, 1, 1)
    person_with_friends(second, 2, 7)
    figures = reach.dashboard_figures(intermediary)
    assert figures["summary"]["through_friends"] == 8
    friends = {row["link"].pk: row["counts"]["friends"] for row in figures["links"]}
    assert friends == {first.pk: "<5", second.pk: "x"}
    assert reach.protected_link_counts(second)["friends"] == "x"
    assert figures["summary"]["secondary"]


def test_dashboard_page_shows_the_protected_figures(event, intermediary, visitor, client):
    link = services.create_link(intermediary, event)
    _bring_friends(event, link, visitor, own=7, friends=2)
    client.force_login(intermediary.user)
    page = client.get(reverse("recruitment:dashboard")).content.decode()
    assert "<dd>9</dd>" not in page
    assert "x: dit getal is ook verborgen" in page
