"""The shared content pieces in `content` (issue 13): themes as a snippet editors keep, the body blocks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from accounts.roles import COORDINATOR, EDITOR, FACILITATOR
from content.blocks import BodyBlock
from content.models import CyclePhase, Theme

pytestmark = pytest.mark.django_db


def staff(role):
    user = get_user_model().objects.create_user(username=role.lower(), email=f"{role.lower()}@example.org")
    user.groups.add(Group.objects.get(name=role))
    return user


def test_theme_lives_in_content_with_its_own_table_and_content_type():
    assert Theme._meta.db_table == "content_theme"
    content_type = ContentType.objects.get_for_model(Theme)
    assert (content_type.app_label, content_type.model) == ("content", "theme")
    assert not ContentType.objects.filter(app_label="home", model="theme").exists()


@pytest.mark.parametrize("role, may_add", [(EDITOR, True), (COORDINATOR, True), (FACILITATOR, False)])
def test_roles_keep_their_theme_permissions(role, may_add):
    user = staff(role)
    assert user.has_perm("content.add_theme") is may_add
    assert user.has_perm("content.change_theme") is may_add
    assert not user.has_perm("content.delete_theme")


def test_an_editor_adds_a_theme_in_the_snippet_admin(client):
    client.force_login(staff(EDITOR))
    assert client.get("/admin/snippets/content/theme/").status_code == 200
    response = client.post("/admin/snippets/content/theme/add/",
                           {"name": "Wonen", "slug": "wonen", "description": "Een huis in de wijk."})
    assert response.status_code == 302
    assert Theme.objects.filter(slug="wonen", name="Wonen").exists()


def test_the_body_blocks_render_from_their_own_templates():
    block = BodyBlock()
    value = block.to_python([
        {"type": "heading", "value": "Wat we doen"},
        {"type": "call_to_action", "value": {"text": "Meld u aan", "page": None, "url": "https://example.org/"}},
    ])
    html = block.render(value)
    assert "<h2>Wat we doen</h2>" in html
    assert 'href="https://example.org/"' in html and "Meld u aan" in html


def test_cycle_phases_are_dutch():
    from django.utils import translation

    with translation.override("nl"):
        assert str(CyclePhase.LEARN_AND_IMPROVE.label) == "Leren en verbeteren"
