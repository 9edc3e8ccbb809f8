"""On someone's behalf: a number as the only contact must be a Dutch/EU mobile number (issue 12, point 4)."""

import pytest

from recruitment.forms import OnBehalfForm
from tests.recruitment.test_recruitment_on_behalf import data

pytestmark = pytest.mark.django_db


def bound(event, **extra):
    return OnBehalfForm({**data(event, **extra), "event": event.pk, "consent_given_at": "2020-01-01T10:00"})


@pytest.mark.parametrize("number, text", [("0900 1234567", "geen mobiel nummer"), ("030 1234567", "geen mobiel nummer"),
                                          ("+44 7400 123456", "EU-landen")])
def test_only_a_number_we_may_not_text_is_refused(event, intermediary, number, text):
    form = bound(event, phone=number)
    assert not form.is_valid()
    assert text in form.errors["phone"][0]


def test_a_mobile_number_or_a_landline_beside_email_is_fine(event, intermediary):
    assert "phone" not in bound(event, phone="06 12345678").errors
    assert "phone" not in bound(event, phone="030 1234567", email="jansen@example.org").errors
    assert "EU-landen" in str(OnBehalfForm().fields["phone"].help_text)


def test_invitations_by_sms_only_to_numbers_we_may_text():
    from recruitment.services import parse_contacts

    items = parse_contacts("030 1234567\n06 12345678; +44 7400 123456, 0900 1234567")
    assert [(item.value, bool(item.error)) for item in items] == [
        ("", True), ("+31612345678", False), ("", True), ("", True)]
    assert "EU-landen" in items[2].error and "geen mobiel nummer" in items[0].error
