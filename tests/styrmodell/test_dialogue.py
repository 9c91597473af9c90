"""The dialogue thread (P3): both sides write, nobody edits, revisorer only read."""

import pytest

from styrmodell import dialogue
from styrmodell.errors import DomainError
from styrmodell.models import DialogueComment, Side, User


def test_p3_politician_and_official_write_in_the_same_thread(login, client, unit):
    bun = unit("bun")
    login("bun.ordforande")
    client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": "Hur går det?"})
    login("bun.forvaltningschef")
    client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": "Enligt plan."})

    entries = list(dialogue.thread(bun))
    assert [(e.body, e.author_side) for e in entries] == [
        ("Hur går det?", Side.POLITICS),
        ("Enligt plan.", Side.OFFICIALS),
    ]
    page = client.get(f"/organisation/{bun.pk}/").content.decode()
    assert "Hur går det?" in page and "Enligt plan." in page


def test_p3_htmx_post_returns_the_updated_thread_only(login, client, unit):
    bun = unit("bun")
    login("bun.ledamot")
    response = client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": "Fråga"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel dialogue" id="dialog"')
    assert "Fråga" in html


def test_p4_revisor_reads_the_thread_but_cannot_write(login, client, unit):
    bun = unit("bun")
    login("revisor")
    assert 'id="dialog"' in client.get(f"/organisation/{bun.pk}/").content.decode()
    response = client.post(f"/dialog/styrmodell.organisationunit/{bun.pk}/", {"body": "Hej"})
    assert response.status_code == 403
    assert not DialogueComment.objects.exists()


def test_p3_an_empty_entry_is_refused_with_a_swedish_message(municipality, unit):
    author = User.objects.get(username="bun.ledamot")
    with pytest.raises(DomainError, match="Skriv något"):
        dialogue.post_comment(author=author, subject=unit("bun"), body="   ")
    assert not DialogueComment.objects.exists()


def test_unregistered_models_have_no_thread(login, client):
    login("admin")
    response = client.post("/dialog/styrmodell.user/1/", {"body": "x"})
    assert response.status_code == 404
