"""The answering pages, the open link's limit, the admin pages, results and the export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import results, services
from consultations.models import Invitation, Response

from .conftest import FULL, Data, answer_all


def test_open_link_start_and_answer_one_per_screen(client, consultation):
    url = reverse("consultations:open", args=[consultation.open_key])
    page = client.get(url)
    assert page.status_code == 200 and b"Start" in page.content
    started = client.post(url)
    assert started.status_code == 302
    response = Response.objects.get()
    answer_url = reverse("consultations:answer", args=[response.token])
    assert started["Location"] == answer_url
    # An error first: nothing chosen for a required question. The summary links to the field.
    wrong = client.post(answer_url, {"screen": "0", "action": "next"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert 'href="#f-visit-1"' in html and 'id="f-visit-1"' in html and 'aria-describedby="e-visit"' in html
    assert 'aria-invalid="true"' in html and 'id="e-visit"' in html
    ok = client.post(answer_url, {"screen": "0", "action": "next", "visit": "Passport"})
    assert ok.status_code == 302 and ok["Location"].endswith("?s=1")
    page = client.get(ok["Location"])
    assert "Question 2 of" in page.content.decode()


def test_save_and_continue_shows_the_link(client, consultation):
    response = services.start(consultation, channel=Response.Channel.OPEN)
    url = reverse("consultations:answer", args=[response.token])
    page = client.post(url, {"screen": "0", "action": "save"})
    assert page.status_code == 200
    assert response.token in page.content.decode() and b"saved" in page.content


def test_personal_link_is_resumable_and_finishes_once(client, consultation):
    consultation.one_question_per_screen = False
    consultation.audience = "contacts"
    consultation.save()
    services.invite(consultation, services.parse_contacts("Anna, anna@example.org"))
    invitation = Invitation.objects.get()
    first = client.get(reverse("consultations:invitation", args=[invitation.token]))
    second = client.get(reverse("consultations:invitation", args=[invitation.token]))
    assert first["Location"] == second["Location"]
    done = client.post(first["Location"], {**FULL, "screen": "0", "action": "next"})
    assert done.status_code == 302 and "klaar" in done["Location"]
    assert client.get(first["Location"]).status_code == 302  # finished: to the thanks page
    assert Response.objects.get().completed_at is not None


def test_bad_tokens_and_closed(client, consultation):
    assert client.get(reverse("consultations:answer", args=["nope"])).status_code == 404
    assert client.get(reverse("consultations:invitation", args=["nope"])).status_code == 404
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save()
    page = client.post(reverse("consultations:open", args=[consultation.open_key]))
    assert page.status_code == 200 and b"closed" in page.content
    assert not Response.objects.exists()


def test_answer_page_survives_nonsense(client, consultation):
    response = services.start(consultation, channel=Response.Channel.OPEN)
    url = reverse("consultations:answer", args=[response.token])
    assert client.get(url + "?s=abc").status_code == 200
    assert client.get(url + "?s=9999").status_code == 200
    assert client.post(url, {"screen": "x", "visit": ["a", "b"], "action": "zzz"}).status_code in (200, 400)


def test_open_link_is_rate_limited(client, consultation, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "consultation_open": "2/h"}
    url = reverse("consultations:open", args=[consultation.open_key])
    assert [client.post(url).status_code for _ in range(3)] == [302, 302, 429]
    assert Response.objects.count() == 2


def test_qr(client, consultation):
    page = client.get(reverse("consultations:qr", args=[consultation.open_key]))
    assert page["Content-Type"] == "image/svg+xml"


POPULATION = {"age_band": {"15-24": 100, "25-44": 300, "45-64": 300, "65+": 300}, "gender": {"man": 50, "woman": 50}}


def _responses(consultation, rows):
    consultation.one_question_per_screen = False
    consultation.save()
    for age, gender, nps in rows:
        response = services.start(consultation, channel=Response.Channel.OPEN)
        answer_all(response, {"visit": "Parking" if nps < 7 else "Passport", "friendly": "3", "nps": str(nps),
                              "age": age, "gender": gender, "card-1": "2" if nps < 7 else "5"})


def test_weighted_results_match_raking(consultation):
    rows = ([("65+", "woman", 10)] * 12 + [("45-64", "man", 8)] * 6 + [("25-44", "woman", 3)] * 5
            + [("15-24", "man", 2)] * 5 + [("25-44", "man", 9)] * 2)
    _responses(consultation, rows)
    items, weights, version, completed = results.question_results(consultation, population=POPULATION)
    assert completed == len(rows) and version.number == 1 and weights.active
    by_code = {item.question.code: item for item in items}
    nps = by_code["nps"]
    # Independent check: weighted share of "10" from the weights of population.weighting directly.
    from population.weighting import rake

    people = [{"age_band": a, "gender": g} for a, g, _n in rows]
    w = rake(POPULATION, people, ["age_band", "gender"]).weights
    share_10 = sum(wi for wi, (_a, _g, n) in zip(w, rows, strict=True) if n == 10) / sum(w)
    row_10 = next(r for r in nps.rows if r.label == "10")
    assert row_10.pct == pytest.approx(12 / len(rows))
    assert row_10.wpct == pytest.approx(share_10)
    assert row_10.wpct < row_10.pct  # the over-represented 65+ women count less
    assert nps.nps["score"] == round(100 * (14 - 10) / len(rows))
    assert nps.nps["weighted_score"] is not None
    card = by_code["card"]
    assert card.heat["rows"][0]["cells"][4]["count"] == 20  # "5" on the first row
    assert "<svg" in card.svg and "<title" in card.svg


def test_published_results_hide_small_cells(consultation):
    _responses(consultation, [("65+", "woman", 10)] * 8 + [("45-64", "man", 3)] * 2)
    items, _w, _v, _n = results.question_results(consultation, published=True, weighted=False)
    visit = next(item for item in items if item.question.code == "visit")
    shown = {row.label: row.count for row in visit.rows}
    assert shown["Parking"] == "<5"
    assert all(row.pct is None for row in visit.rows if row.count in ("<5", "x"))
    better = next(item for item in items if item.question.code == "better")
    assert better.texts == []


def test_empty_category_gives_a_clear_message(consultation):
    _responses(consultation, [("65+", "woman", 10)] * 6)
    _items, weights, _v, _n = results.question_results(consultation, population=POPULATION)
    assert not weights.active and "15-24" in weights.problem


def test_export_has_no_contact_details(consultation):
    consultation.audience = "contacts"
    consultation.one_question_per_screen = False
    consultation.save()
    services.invite(consultation, services.parse_contacts("Anna Secret, anna@example.org"))
    response = services.open_invitation(Invitation.objects.get())
    answer_all(response, {**FULL, "better": "=HYPERLINK(1)"})
    text = results.to_csv(results.export_rows(consultation, weights={}))
    assert "anna" not in text.lower() and response.token not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:5] == ["response", "version", "mode", "channel", "completed"]
    assert "card_1" in header and "journey_1_treatment" in header
    assert rows[1][header.index("better")] == "'=HYPERLINK(1)"
    assert results.to_xlsx(results.export_rows(consultation, weights={}))[:2] == b"PK"


@pytest.fixture
def staff(client, coordinator):
    client.force_login(coordinator)
    return client


def test_admin_pages(staff, consultation, utrecht):
    consultation.area = utrecht
    consultation.save()
    _responses(consultation, [("65+", "woman", 10)] * 6 + [("25-44", "man", 4)] * 6)
    for name in ("consultations_overview", "consultations_results"):
        page = staff.get(reverse(name, args=[consultation.pk]))
        assert page.status_code == 200, name
    results_page = staff.get(reverse("consultations_results", args=[consultation.pk])).content.decode()
    assert "Recommend us?" in results_page
    assert staff.get(reverse("consultations_export_csv", args=[consultation.pk])).status_code == 200
    paper = staff.get(reverse("consultations_paper", args=[consultation.pk]))
    assert paper.status_code == 200 and paper.content[:4] == b"%PDF"
    assert staff.get(reverse("consultations_from_template")).status_code == 200
    made = staff.post(reverse("consultations_from_template"), {"template": "customer_journey"})
    assert made.status_code == 302
    assert staff.post(reverse("consultations_from_template"), {"template": "nope"}).status_code == 302


def test_admin_entry_on_behalf(staff, consultation):
    page = staff.post(reverse("consultations_overview", args=[consultation.pk]), {"action": "enter", "mode": "phone"})
    assert page.status_code == 302
    response = Response.objects.get()
    form = staff.get(page["Location"])
    assert form.status_code == 200
    bad = staff.post(page["Location"], {"nps": "eleven"})
    assert bad.status_code == 400
    good = staff.post(page["Location"], {"nps": "7", "visit": "Desk" if False else "Other", "other": "Post"})
    assert good.status_code == 302
    response.refresh_from_db()
    assert response.mode == "phone" and response.completed_at and response.answers["other"] == "Post"


def test_admin_contacts_invite_with_errors_changes_nothing(staff, consultation):
    consultation.audience = "contacts"
    consultation.save()
    url = reverse("consultations_overview", args=[consultation.pk])
    staff.post(url, {"action": "invite", "contacts": "Anna, anna@example.org\nBroken line"})
    assert not Invitation.objects.exists()
    staff.post(url, {"action": "invite", "contacts": "Anna, anna@example.org"})
    assert Invitation.objects.count() == 1


def test_admin_needs_permission(client, consultation, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x")
    client.force_login(user)
    assert client.get(reverse("consultations_results", args=[consultation.pk])).status_code in (302, 403)


def test_public_results_only_when_published(client, consultation):
    url = reverse("consultations:public_results", args=[consultation.pk])
    assert client.get(url).status_code == 404
    consultation.publish_results = True
    consultation.save()
    _responses(consultation, [("65+", "woman", 10)] * 6)
    page = client.get(url)
    assert page.status_code == 200 and b"Recommend us?" in page.content


def test_data_helper():
    assert Data({"a": ["1", "2"]}).getlist("a") == ["1", "2"]
