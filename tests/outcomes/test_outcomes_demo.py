from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import WorkflowState

from messaging.models import Message
from outcomes import services
from outcomes.models import OutcomeIndexPage, OutcomePage, Recommendation, Signal, SignalStatus

pytestmark = pytest.mark.django_db


def counts():
    return (Signal.objects.count(), Recommendation.objects.count(), OutcomePage.objects.count(),
            Message.objects.count())


def test_demo_has_everything_is_idempotent_and_renders(demo, client):
    assert set(Signal.objects.values_list("status", flat=True)) == set(SignalStatus.values)
    overdue = [r for r in Recommendation.objects.all() if r.is_overdue()]
    assert len(overdue) == 1
    index = OutcomeIndexPage.objects.get()
    assert index.get_workflow().name == services.WORKFLOW_NAME
    live = OutcomePage.objects.live()
    assert live.count() == 4
    assert all(page.events.exists() and page.inputs.exists() for page in live)
    # Linked to the inputs the formats demo collected at those events.
    from outcomes.models import OutcomeInput

    links = OutcomeInput.objects.filter(page__live=True)
    assert links.filter(statement__isnull=False).exists()
    assert links.filter(harvest__isnull=False).exists()
    assert links.filter(story__isnull=False).exists()
    in_review = OutcomePage.objects.get(live=False)
    assert WorkflowState.objects.filter(object_id=str(in_review.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before

    # One demo load is slow, so the same test checks that every screen renders with the demo data.
    client.force_login(get_user_model().objects.get(username="coordinator"))
    signal = Signal.objects.filter(status=SignalStatus.CLOSED).first()
    page = OutcomePage.objects.live().first()
    for url in ["/admin/outcomes/signals/", "/admin/outcomes/signals/?status=closed",
                f"/admin/outcomes/signals/edit/{signal.pk}/", "/admin/outcomes/signal-statistics/",
                "/admin/snippets/outcomes/recommendation/", f"/admin/pages/{page.pk}/edit/",
                "/admin/snippets/outcomes/department/", "/admin/outcomes/signal-chooser/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    editor = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "/admin/outcomes/signal-chooser/" in editor  # a chooser, not a select of every signal
    listing = client.get("/admin/outcomes/signals/").content.decode()
    assert f"/admin/outcomes/signals/edit/{signal.pk}/" in listing
    stats = client.get("/admin/outcomes/signal-statistics/").content.decode()
    assert "Wmo" in stats
    client.logout()
    index = OutcomeIndexPage.objects.get()
    assert client.get(index.url).status_code == 200
    html = client.get(page.url).content.decode()
    assert page.title in html
    assert client.get(signal.get_absolute_url()).status_code == 200
