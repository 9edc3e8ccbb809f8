"""One error summary on every form (issue 16, WCAG 3.3.1 / 2.4.2): it links to each field in error and the
page title starts with "Fout:" / "Error:"; a page without errors keeps its plain title."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_signal_form_summary_links_to_the_fields_and_prefixes_the_title(client, site):
    url = reverse("outcomes:signal_form")
    assert not title(client.get(url).content.decode()).startswith("Fout")
    response = client.post(url, {"text": "kapot", "email": "geen-adres"})
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith("Fout: ")
    summary = re.search(r'<div[^>]*id="form-errors".*?</div>', html, re.S).group(0)
    assert 'href="#id_text"' in summary and 'href="#id_email"' in summary
    assert 'id="id_text"' in html  # the link's target exists


def test_english_title_says_error(client, site):
    html = client.post("/en" + reverse("outcomes:signal_form"), {"text": "x"}).content.decode()
    assert title(html).startswith("Error: ")


def test_panel_call_form_answers_a_bad_submit_with_400_and_a_linked_summary(client, utrecht_panel):
    url = f"/panels/{utrecht_panel.pk}/apply/"
    response = client.post(url, {"name": "", "email": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith("Fout: ")
    assert re.search(r'id="form-errors"[^>]*tabindex="-1"|tabindex="-1"[^>]*id="form-errors"', html)
    assert 'href="#id_name"' in html
    assert 'document.getElementById("form-errors").focus()' in html


@pytest.fixture
def utrecht_panel(db):
    from panels.models import Panel
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area

    import_cbs(DEMO_FILE)
    return Panel.objects.create(name="Jongerenpanel", purpose="Meedenken", area=Area.objects.get(code="GM0344"),
                                min_age=16)
