"""Sign-ups are attributed to the link, QR code, invitation or friend that brought them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participation.invites import invite_from_session
from recruitment import services
from recruitment.models import Attribution, Channel, InviteLink

from .conftest import signup

pytestmark = pytest.mark.django_db


def test_signup_through_link_is_attributed(event, intermediary, visitor):
    link = services.create_link(intermediary, event, label="Flyer")
    request = visitor()
    result = services.follow(link.code, session=request.session)
    assert result.state == "active" and result.event.pk == event.pk
    registration = signup(event, 1, request=request)
    attribution = Attribution.objects.get(registration=registration)
    assert (attribution.invite_link, attribution.channel, attribution.depth) == (link, Channel.LINK, 1)
    assert attribution.intermediary == intermediary
    link.refresh_from_db()
    assert (link.visits, link.qr_visits) == (1, 0)


def test_signup_through_qr_code_records_the_channel(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    assert services.qr_url(link).endswith(f"/r/{link.code}?via=qr")
    request = visitor()
    services.follow(link.code, via="qr", session=request.session)
    registration = signup(event, 1, request=request)
    assert registration.attribution.channel == Channel.QR
    link.refresh_from_db()
    assert (link.visits, link.qr_visits) == (0, 1)


def test_signup_without_a_link_is_not_attributed(event, intermediary, visitor):
    registration = signup(event, 1, request=visitor())
    assert not Attribution.objects.filter(registration=registration).exists()


def test_an_uninvited_signup_without_a_link_costs_one_query(event, intermediary, visitor, django_assert_num_queries):
    services.send_invitations(intermediary, event, "iemand.anders@example.org")
    registration = signup(event, 1)
    with django_assert_num_queries(1):  # inside the sign-up's locked transaction
        assert services.attribute(registration, invite=invite_from_session(visitor().session)) is None


def test_link_for_another_event_does_not_count(make_event, intermediary, visitor):
    first, second = make_event("Eerste"), make_event("Tweede")
    link = services.create_link(intermediary, first)
    request = visitor()
    services.follow(link.code, session=request.session)
    registration = signup(second, 1, request=request)
    assert not Attribution.objects.filter(registration=registration).exists()


@pytest.mark.parametrize("change, state", [
    (lambda link: services.set_paused(link, True), "paused"),
    (services.revoke, "revoked"),
    (lambda link: services.set_end(link, timezone.now() - timedelta(minutes=1)), "expired"),
])
def test_inactive_links_say_so_and_do_not_attribute(event, intermediary, visitor, change, state):
    link = services.create_link(intermediary, event)
    change(link)
    request = visitor()
    result = services.follow(link.code, session=request.session)
    assert result.state == state and result.message and result.event.pk == event.pk
    registration = signup(event, 1, request=request)
    assert not Attribution.objects.filter(registration=registration).exists()


def test_friend_chain_records_depth(event, intermediary, visitor):
    link = services.create_link(intermediary, event)
    first_request = visitor()
    services.follow(link.code, session=first_request.session)
    resident = signup(event, 1, request=first_request)

    friend_link = services.friend_link_for(resident)
    assert services.friend_link_for(resident) == friend_link  # one per registration
    friend_request = visitor()
    services.follow(friend_link.code, session=friend_request.session)
    friend = signup(event, 2, request=friend_request)

    friends_friend_request = visitor()
    services.follow(services.friend_link_for(friend).code, session=friends_friend_request.session)
    third = signup(event, 3, request=friends_friend_request)

    chain = [Attribution.objects.get(registration=r) for r in (resident, friend, third)]
    assert [a.depth for a in chain] == [1, 2, 3]
    assert [a.channel for a in chain] == [Channel.LINK, Channel.FRIEND, Channel.FRIEND]
    assert {a.intermediary for a in chain} == {intermediary}
    assert chain[1].invite_link.referrer == resident


def test_friend_link_of_someone_who_came_by_themselves_starts_a_chain(event, visitor):
    resident = signup(event, 1, request=visitor())
    request = visitor()
    services.follow(services.friend_link_for(resident).code, session=request.session)
    friend = signup(event, 2, request=request)
    assert (friend.attribution.depth, friend.attribution.intermediary) == (1, None)


def test_unapproved_intermediary_cannot_make_links(event, make_intermediary):
    waiting = make_intermediary("Wacht", approved=False)
    with pytest.raises(services.RecruitmentError):
        services.create_link(waiting, event)
    assert not InviteLink.objects.exists()


def test_unknown_code(event):
    assert services.follow("zzzzzzzz").event is None


def test_codes_are_short_and_unique(event, intermediary):
    codes = {services.create_link(intermediary, event).code for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 8 for code in codes)


def test_friend_page_only_for_a_live_registration(event):
    from events import services as event_services

    going, cancelled, anonymised = (signup(event, n) for n in (1, 2, 3))
    event_services.cancel(cancelled)
    anonymised.anonymised_at = timezone.now()
    anonymised.save(update_fields=["anonymised_at"])
    assert services.friend_registration(going.token) == going
    assert services.friend_registration(cancelled.token) is None
    assert services.friend_registration(anonymised.token) is None
    assert services.friend_registration("no-such-token") is None
