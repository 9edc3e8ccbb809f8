"""Pool applications, the fair selection with its audit record, replacement and the published record."""

import random

import pytest
from django.urls import reverse
from django.utils import translation

from panels import services
from panels.models import Panel, PanelMember, SelectionRun, Volunteer

pytestmark = pytest.mark.django_db
selection = pytest.importorskip("panels.selection")


@pytest.fixture
def small_panel(utrecht):
    """A panel of 4 with a pool of 30 varied volunteers."""
    from population.models import Area

    panel = Panel.objects.create(name="Klein panel", purpose="Test", area=utrecht, min_age=16, target_size=4)
    wijken = list(Area.objects.filter(level="wijk"))
    rng = random.Random(7)
    for i in range(40):
        origin = rng.choice(["nl", "nl", "europe", "outside_europe"])
        Volunteer.objects.create(
            panel=panel, name=f"Persoon {i}", email=f"p{i}@example.org",
            age_band=rng.choice(["15-24", "25-44", "45-64", "65+", "0-14"]), gender=rng.choice(["man", "woman"]),
            wijk=rng.choice(wijken), origin=origin, origin_consent=rng.random() < 0.9,
            reserve_consent=True,  # after the first draw only the reserve list can be drawn (issue 14)
        )
    return panel


def test_selection_run_records_an_audit_that_checks_out(small_panel, coordinator):
    outcome = services.run_selection(small_panel, seed=12345, user=coordinator)
    run = outcome.run
    assert run.outcome == SelectionRun.Outcome.DRAWN and len(run.drawn) == 4
    population = services.population_for_panel(small_panel)
    eligible = list(services.eligible_pool(Panel.objects.get(pk=small_panel.pk)).model.objects.filter(
        panel=small_panel).exclude(age_band="0-14"))
    people = services.selection_people(eligible, population)
    assert run.pool_hash == services.snapshot_hash(people)
    too_young = small_panel.pool.filter(age_band="0-14").count()
    assert too_young and run.pool_size == 40 - too_young  # 0-14-year-olds cannot join a 16+ panel
    assert set(run.probabilities) == set(people)  # every volunteer's probability, by number
    assert sum(run.probabilities.values()) == pytest.approx(4, abs=1e-6)
    quotas = services.panel_quotas(small_panel, population)
    assert selection.quota_violations(run.drawn, people, quotas) == []
    assert {q["feature"] for q in run.quotas} == {"gender", "age_band", "wijk", "origin"}
    assert sorted(m.volunteer.reference for m in small_panel.current_members()) == sorted(run.drawn)
    assert Panel.objects.get(pk=small_panel.pk).status == Panel.Status.ACTIVE

    # Same pool and seed: same panel.
    PanelMember.objects.filter(panel=small_panel).delete()
    Volunteer.objects.filter(panel=small_panel).update(status=Volunteer.Status.AVAILABLE)
    again = services.run_selection(small_panel, seed=12345)
    assert again.run.drawn == run.drawn and again.run.pool_hash == run.pool_hash


def test_replacement_keeps_the_quotas_and_is_recorded(small_panel):
    services.run_selection(small_panel, seed=1)
    member = small_panel.current_members().first()
    new_member, run, problems = services.replace_member(member, reason="verhuisd", seed=3)
    assert problems == [] and new_member.replaces == member
    member.refresh_from_db()
    assert member.left_on is not None and member.leave_reason == "verhuisd"
    population = services.population_for_panel(small_panel)
    current = list(small_panel.current_members())
    people = services.selection_people([m.volunteer for m in current], population)
    assert len(current) == 4
    assert selection.quota_violations(list(people), people, services.panel_quotas(small_panel, population)) == []
    assert run.kind == SelectionRun.Kind.REPLACEMENT and run.drawn == [new_member.volunteer.reference]


def test_infeasible_quotas_get_a_plain_message(small_panel):
    small_panel.pool.filter(origin="outside_europe").delete()
    with translation.override("nl"):
        outcome = services.run_selection(small_panel, seed=5)
    assert outcome.members == [] and outcome.run.outcome == SelectionRun.Outcome.INFEASIBLE
    assert any("Verlaag het minimum voor mensen met een herkomst buiten Europa" in m
               for m in outcome.messages), outcome.messages
    assert not small_panel.current_members().exists()


def test_published_record_has_no_names(client, small_panel):
    outcome = services.run_selection(small_panel, seed=9)
    url = reverse("panels:audit", args=[small_panel.pk, outcome.run.pk])
    assert client.get(url).status_code == 404
    outcome.run.published = True
    outcome.run.save()
    page = client.get(url).content.decode()
    record = client.get(url + "?format=json").json()
    assert set(record["probabilities"]) == set(outcome.run.probabilities)
    assert record["panel_drawn"] == outcome.run.drawn and record["seed"] == 9
    for volunteer in Volunteer.objects.filter(panel=small_panel):
        assert volunteer.name not in page and volunteer.email not in page
    assert outcome.run.drawn[0] in page


def test_public_call_form(client, utrecht):
    from messaging.models import Message

    panel = Panel.objects.create(name="Jongerenpanel", purpose="Meedenken", area=utrecht, min_age=16)
    url = reverse("panels:apply", args=[panel.pk])
    page = client.get(url).content.decode()
    assert "Zeg ik liever niet" in page and 'for="id_origin_consent"' in page
    overvecht = utrecht.children.get(code="WK034403")
    data = {"name": "Sara", "email": "sara@example.org", "age_band": "15-24", "gender": "woman",
            "wijk": str(overvecht.pk), "origin": "outside_europe", "consent": "on"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode()
    assert not panel.pool.exists()  # origin without consent: not stored, the form says why
    response = client.post(url, {**data, "origin_consent": "on"})
    assert response.status_code == 302
    volunteer = panel.pool.get()
    assert (volunteer.origin, volunteer.wijk, volunteer.age_band) == ("outside_europe", overvecht, "15-24")
    # Since issue 11 the number is in the message, not on the page (a second application with the same
    # address must get the same page, and it must not show the first applicant's number).
    assert volunteer.reference not in client.get(response["Location"]).content.decode()
    message = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:email")
    assert volunteer.reference in message.body
    panel.status = Panel.Status.ACTIVE
    panel.save()
    assert client.get(url).status_code == 410


def test_demo_is_idempotent(utrecht):
    from io import StringIO

    from panels import demo
    from population.models import PopulationCount

    demo.load(StringIO())
    before = (Volunteer.objects.count(), PanelMember.objects.count(), SelectionRun.objects.count(),
              PopulationCount.objects.count())
    demo.load(StringIO())
    assert (Volunteer.objects.count(), PanelMember.objects.count(), SelectionRun.objects.count(),
            PopulationCount.objects.count()) == before
    assert before[0] == 215 + 24 and SelectionRun.objects.get().outcome == SelectionRun.Outcome.DRAWN


def test_retention_anonymises_pool_details_but_keeps_the_record(small_panel):
    from datetime import timedelta

    from django.utils import timezone

    from panels import retention

    small_panel.pool.update(reserve_consent=False)  # the reserve list is kept until the panel ends
    outcome = services.run_selection(small_panel, seed=2)
    now = timezone.now()
    assert retention.apply(now) == {"volunteers anonymised": 0, "compensations deleted": 0}  # still needed
    later = now + timedelta(days=400)
    assert retention.apply(later)["volunteers anonymised"] == 40 - 4  # not selected, panel active
    left = Volunteer.objects.filter(panel=small_panel, anonymised_at__isnull=False)
    assert not left.exclude(name="").exists() and not left.exclude(origin="").exists()
    members = Volunteer.objects.filter(reference__in=outcome.run.drawn)
    assert all(m.name for m in members)  # members keep their details while the term runs
    small_panel.term_end = later.date() - timedelta(days=400)
    small_panel.save()
    assert retention.apply(later)["volunteers anonymised"] == 4
    assert set(outcome.run.probabilities) == set(Volunteer.objects.filter(panel=small_panel).exclude(
        age_band="0-14").values_list("reference", flat=True))


def test_a_dimension_nobody_in_the_pool_answered_gets_no_quotas(small_panel, utrecht):
    from population.importer import import_upload

    import_upload(b"dimension,category,count\neducation,low,60000\neducation,high,150000\n",
                  municipality=utrecht, year=2024, name="Onderwijs")
    outcome = services.run_selection(small_panel, seed=4)
    assert outcome.run.outcome == SelectionRun.Outcome.DRAWN
    assert "education" not in {q["feature"] for q in outcome.run.quotas}


def test_run_replacement_fills_every_open_place_conditional_on_the_members_kept(small_panel, coordinator):
    first = services.run_selection(small_panel, seed=1).run
    leaving = list(small_panel.current_members())[:2]
    today = leaving[0].joined_on
    for member in leaving:
        member.left_on, member.leave_reason = today, "afgezegd"
        member.save(update_fields=["left_on", "leave_reason"])
    kept = sorted(m.volunteer.reference for m in small_panel.current_members())
    outcome = services.run_replacement(small_panel, seed=8, user=coordinator)
    run = outcome.run
    assert outcome.messages == [] and run.kind == SelectionRun.Kind.REPLACEMENT and run.algorithm == "leximin"
    assert run.outcome == SelectionRun.Outcome.DRAWN and len(run.drawn) == 2 and run.created_by == coordinator
    assert not set(run.drawn) & set(kept) and not set(run.drawn) & set(first.drawn)
    assert not set(run.probabilities) & set(first.drawn)  # neither kept nor left members are in the new draw
    assert sum(run.probabilities.values()) == pytest.approx(2, abs=1e-6)
    population = services.population_for_panel(small_panel)
    current = list(small_panel.current_members())
    assert sorted(m.volunteer.reference for m in current) == sorted(kept + run.drawn)
    people = services.selection_people([m.volunteer for m in current], population)
    assert selection.quota_violations(list(people), people, services.panel_quotas(small_panel, population)) == []
    with pytest.raises(services.PanelError):
        services.run_replacement(small_panel, seed=9)  # the panel is full again


def test_run_replacement_records_quotas_the_members_kept_make_unreachable(small_panel):
    services.run_selection(small_panel, seed=1)
    member = small_panel.current_members().first()
    member.left_on = member.joined_on
    member.save(update_fields=["left_on"])
    # Nobody is left in the pool: the open place cannot be filled.
    small_panel.pool.filter(status__in=[Volunteer.Status.AVAILABLE, Volunteer.Status.NOT_SELECTED]).delete()
    outcome = services.run_replacement(small_panel, seed=2)
    assert outcome.members == [] and outcome.run.outcome == SelectionRun.Outcome.INFEASIBLE
    assert outcome.messages


@pytest.fixture
def stopped_lottery(monkeypatch):
    """find_distribution as if PANELS_SELECTION_MAX_SECONDS stopped it: the lottery is valid, not optimal,
    and leaves its first volunteer at chance 0."""
    real = selection.find_distribution

    def stopped(*args, **kwargs):
        distribution = real(*args, **kwargs)
        distribution.optimal = False
        distribution.stop_reason = "The computation stopped at its time limit."
        distribution.probabilities[next(iter(distribution.probabilities))] = 0.0
        return distribution

    monkeypatch.setattr(selection, "find_distribution", stopped)


def test_a_stopped_lottery_is_drawn_only_after_the_coordinator_accepts_it(small_panel, stopped_lottery):
    with pytest.raises(services.NotOptimalLottery) as error:
        services.run_selection(small_panel, seed=1)
    assert error.value.zero and "1 vrijwilligers die gekozen kunnen worden, hebben in deze loting" in str(error.value)
    assert not SelectionRun.objects.exists() and not small_panel.current_members().exists()
    outcome = services.run_selection(small_panel, seed=1, accept_not_optimal=True)
    assert len(outcome.members) == 4
    assert outcome.run.messages and "tijd op was" in outcome.run.messages[0]


def test_the_admin_warns_in_dutch_and_draws_a_stopped_lottery_only_with_the_box_ticked(
        client, coordinator, small_panel, stopped_lottery):
    client.force_login(coordinator)
    url = reverse("panels_admin:select", args=[small_panel.pk])
    assert "accept_not_optimal" not in client.get(url).content.decode()
    with translation.override("nl"):
        response = client.post(url, {"algorithm": "leximin", "seed": "3"}, HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert response.status_code == 200 and "De berekening is gestopt omdat de tijd op was" in page
    assert 'name="accept_not_optimal"' in page and not small_panel.current_members().exists()
    response = client.post(url, {"algorithm": "leximin", "seed": "3", "accept_not_optimal": "on"})
    assert response.status_code == 302 and small_panel.current_members().count() == 4
