"""The "my data" pages, with and without an account, in Dutch and English."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import DataAccessLink, ErasureRecord
from messaging.models import Message

from .conftest import EMAIL

pytestmark = pytest.mark.django_db


def link_from_message(recipient=EMAIL):
    body = Message.objects.filter(purpose="accounts:mydata", recipient=recipient).latest("pk").body
    return re.search(r"http://testserver(/\S+)", body).group(1)


def main_text(response):
    html = response.content.decode()
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "",
                  html[html.index("<main"):html.index("</main>")])


def test_the_form_is_at_mijn_gegevens_and_never_cached(client, site):
    response = client.get("/mijn-gegevens/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<label for="id_contact">' in html and 'action="/mijn-gegevens/aanvragen/"' in html
    assert 'href="/mijn-gegevens/"' in html  # the footer link


def test_the_answer_is_the_same_whether_or_not_we_hold_anything(client, resident):
    known = client.post("/mijn-gegevens/aanvragen/", {"contact": "ANNA@example.org"})
    unknown = client.post("/mijn-gegevens/aanvragen/", {"contact": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert main_text(known) == main_text(unknown)
    assert "Als wij gegevens van dit adres hebben, krijgt u een link" in main_text(known)
    assert "no-store" in known["Cache-Control"]
    assert DataAccessLink.objects.count() == 1
    assert not Message.objects.filter(recipient="niemand@example.org").exists()


@pytest.mark.parametrize("bad", ["anna@", "12", "", "x" * 300])
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, resident, bad):
    response = client.post("/mijn-gegevens/aanvragen/", {"contact": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'aria-invalid="true"' in html
    assert re.search(r"(geldig|Vul uw e-mailadres|maximaal|hoogstens|Zorg)", html)
    assert not DataAccessLink.objects.exists()
    assert not Message.objects.filter(purpose="accounts:mydata").exists()


def test_a_phone_number_in_any_format_gets_the_link_by_sms(client, resident):
    client.post("/mijn-gegevens/aanvragen/", {"contact": "06-1234 5678"})
    path = link_from_message("+31612345678")
    assert path.startswith("/mijn-gegevens/link/")
    html = client.get(path).content.decode()
    assert "Pizza-avond" in html  # the waiting-list place she signed up for with her number only


def test_the_link_shows_everything_and_offers_download_and_erase(client, resident):
    client.post("/mijn-gegevens/aanvragen/", {"contact": EMAIL})
    path = link_from_message()
    response = client.get(path)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for text in ["Dialoogtafel Overvecht", "Rolstoel, graag een plek bij de deur", "Bewonerspanel Zorg",
                 "De stoep bij mijn huis is kapot", "Jongerenavond", "Aanmeldingen voor activiteiten"]:
        assert text in html
    assert "Bert Jansen" not in html
    assert f'href="{path}downloaden/"' in html and f'href="{path}wissen/"' in html


def test_download_is_a_zip_with_json_and_csv(client, resident):
    client.post("/mijn-gegevens/aanvragen/", {"contact": EMAIL})
    response = client.get(link_from_message() + "downloaden/")
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "my-data.json" in archive.namelist() and "registration.csv" in archive.namelist()
    data = json.loads(archive.read("my-data.json"))
    assert {r["kind"] for r in data["records"]} >= {"registration", "pool_application", "signal", "message"}
    assert "Rolstoel" in archive.read("registration.csv").decode("utf-8-sig")


def test_erase_asks_first_and_only_a_post_erases(client, resident):
    client.post("/mijn-gegevens/aanvragen/", {"contact": EMAIL})
    path = link_from_message()
    confirm = client.get(path + "wissen/")
    assert confirm.status_code == 200 and "Ja, wis mijn gegevens" in confirm.content.decode()
    assert not ErasureRecord.objects.exists()
    client.post(path + "wissen/", {})  # without the confirmation field: nothing happens
    assert not ErasureRecord.objects.exists()
    done = client.post(path + "wissen/", {"confirm": "erase"})
    assert done.status_code == 200 and "Uw gegevens zijn gewist" in done.content.decode()
    record = ErasureRecord.objects.get()
    # By email: the place and the old registration; the waiting-list place was made with her number only.
    assert record.via == "link" and record.counts["registrations anonymised"] == 2
    resident.anna_waiting.refresh_from_db()
    assert resident.anna_waiting.name == "Anna de Vries"
    resident.bert_waiting.refresh_from_db()
    assert resident.bert_waiting.status == "confirmed"
    again = client.get(path)
    assert again.status_code == 404 and "werkt niet (meer)" in again.content.decode()


def test_an_expired_or_made_up_link_says_so_without_a_500(client, resident):
    client.post("/mijn-gegevens/aanvragen/", {"contact": EMAIL})
    path = link_from_message()
    DataAccessLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for url in [path, path + "downloaden/", path + "wissen/", "/mijn-gegevens/link/onzin/",
                "/mijn-gegevens/link/%00%ff/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Vraag hieronder een nieuwe link aan" in response.content.decode()
    assert client.post(path + "wissen/", {"confirm": "erase"}).status_code == 404
    assert not ErasureRecord.objects.exists()


@pytest.fixture
def anna_account(django_user_model, resident):
    user = django_user_model.objects.create_user(email=EMAIL)
    user.emailaddress_set.create(email=EMAIL, verified=True, primary=True)
    return user


def test_with_an_account_the_page_shows_the_data_at_once(client, anna_account):
    client.force_login(anna_account)
    response = client.get("/mijn-gegevens/")
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Dialoogtafel Overvecht" in html and "Uw account" in html
    assert 'href="/mijn-gegevens/downloaden/"' in html
    archive = zipfile.ZipFile(io.BytesIO(client.get("/mijn-gegevens/downloaden/").content))
    assert "account.csv" in archive.namelist()


def test_in_english_at_en_my_data(client, anna_account):
    client.force_login(anna_account)
    response = client.get("/en/my-data/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Registrations for events" in html and 'href="/en/my-data/download/"' in html


def test_an_english_request_sends_an_english_link(client, resident):
    response = client.post("/en/my-data/request/", {"contact": EMAIL})
    assert "If we hold data under this address, you get a link" in response.content.decode()
    path = link_from_message()
    assert path.startswith("/en/my-data/link/")
    assert client.get(path).status_code == 200


def test_erasing_with_an_account_deletes_it_and_logs_out(client, anna_account, django_user_model):
    client.force_login(anna_account)
    assert client.get("/mijn-gegevens/wissen/").status_code == 200
    response = client.post("/mijn-gegevens/wissen/", {"confirm": "erase"})
    assert response.status_code == 200
    assert not django_user_model.objects.filter(pk=anna_account.pk).exists()
    assert "_auth_user_id" not in client.session
    assert ErasureRecord.objects.get().via == "account"


def test_account_download_and_erase_need_a_login(client, site):
    assert client.get("/mijn-gegevens/downloaden/").status_code == 302
    assert client.post("/mijn-gegevens/wissen/", {"confirm": "erase"}).status_code == 302
    assert not ErasureRecord.objects.exists()


def test_asking_for_links_is_limited_per_address_with_a_429_that_sends_nothing(client, resident, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mydata": "2/h"}
    url = "/mijn-gegevens/aanvragen/"
    for _ in range(2):
        assert client.post(url, {"contact": "iemand@example.org"}).status_code == 200
    before = Message.objects.count()
    blocked = client.post(url, {"contact": EMAIL})
    assert blocked.status_code == 429
    assert Message.objects.count() == before and not DataAccessLink.objects.exists()
