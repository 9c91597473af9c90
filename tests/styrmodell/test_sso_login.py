"""The login page with and without single sign-on, the password login's break-glass switch,
and the person's anställnings-id that single sign-on matches on.

The sign-on itself, against a real provider, is in tests/browser/test_sso_pages.py.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation

from styrmodell.models import User

BUTTON = "Logga in med kommunens konto"


@pytest.fixture
def sso(settings):
    # Rendering the login page asks the provider nothing: this address is never called.
    settings.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = "styrmodell"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    return settings


def test_without_a_provider_the_login_page_has_only_the_password_form(client, municipality):
    page = client.get("/logga-in/").content.decode()
    assert BUTTON not in page
    assert 'name="password"' in page


def test_without_a_provider_its_addresses_do_not_exist(client, municipality):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_with_a_provider_the_login_page_leads_there_first(client, sso, municipality):
    page = client.get("/logga-in/?next=/mal/").content.decode()
    assert f'href="/oidc/authenticate/?next=/mal/">{BUTTON}</a>' in page.replace("%2F", "/")
    assert 'name="password"' in page  # the password login is on unless turned off


def test_the_button_says_what_the_municipality_calls_its_login(client, sso, municipality):
    sso.OIDC_LOGIN_LABEL = "Logga in med Ekbacka-ID"
    page = client.get("/logga-in/").content.decode()
    assert "Logga in med Ekbacka-ID" in page and BUTTON not in page


def test_with_the_password_login_off_the_page_shows_the_button_and_an_administrators_link(
    client, sso, municipality
):
    sso.LOCAL_LOGIN = False
    page = client.get("/logga-in/").content.decode()
    assert BUTTON in page
    assert 'name="password"' not in page
    assert "Administratör? Logga in med lösenord" in page
    assert 'name="password"' in client.get("/logga-in/?lokal=1").content.decode()


def test_with_the_password_login_off_others_than_break_glass_are_refused(client, sso, municipality):
    sso.LOCAL_LOGIN = False
    sso.LOCAL_LOGIN_USERS = ["admin"]
    response = client.post("/logga-in/", {"username": "ekonom", "password": "demo"})
    assert response.status_code == 200
    assert "Inloggning med lösenord är avstängd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_the_password_login_off_the_admin_site_refuses_others_too(client, sso, municipality):
    sso.LOCAL_LOGIN = False
    sso.LOCAL_LOGIN_USERS = ["ekonom"]
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    client.post("/admin/login/", {"username": "admin", "password": "demo"})
    assert "_auth_user_id" not in client.session


def test_the_break_glass_account_still_logs_in_with_its_password(client, sso, municipality):
    sso.LOCAL_LOGIN = False
    sso.LOCAL_LOGIN_USERS = ["admin"]
    response = client.post("/logga-in/?lokal=1", {"username": "admin", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_break_glass_account_is_still_guarded_by_the_lockout(client, sso, municipality):
    sso.AXES_ENABLED = True
    sso.AXES_FAILURE_LIMIT = 3
    sso.LOCAL_LOGIN = False
    sso.LOCAL_LOGIN_USERS = ["admin"]
    for _ in range(3):
        client.post("/logga-in/", {"username": "admin", "password": "fel"})
    response = client.post("/logga-in/", {"username": "admin", "password": "demo"})
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="admin").exists()


def test_a_password_login_logs_out_here_without_going_to_the_provider(client, sso, municipality):
    client.post("/logga-in/", {"username": "ekonom", "password": "demo"})
    response = client.post("/logga-ut/")
    assert response.status_code == 302 and response["Location"] == "/logga-in/"
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, municipality):
    client.post("/logga-in/", {"username": "ekonom", "password": "demo"})
    assert client.get("/logga-ut/").status_code == 405
    assert "_auth_user_id" in client.session


def signed_in_at_the_provider(client, username: str) -> User:
    """A session as the sign-on's callback leaves it: Django's login through our backend."""
    person = User.objects.get(username=username)
    client.force_login(person, backend="styrmodell.sso.SingleSignOnBackend")
    return person


def test_a_single_sign_on_session_has_no_link_to_change_the_password(client, sso, municipality):
    signed_in_at_the_provider(client, "ekonom")
    page = client.get("/").content.decode()
    assert "Elin Ström" in page
    assert "Byt lösenord" not in page and 'href="/losenord/"' not in page


def test_a_password_login_keeps_its_link_to_change_the_password(client, sso, municipality):
    client.post("/logga-in/", {"username": "ekonom", "password": "demo"})
    page = client.get("/").content.decode()
    assert "Byt lösenord" in page and 'href="/losenord/"' in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_single_sign_on_session_is_refused_the_password_change_in_swedish(
    client, sso, municipality, method
):
    person = signed_in_at_the_provider(client, "ekonom")
    data = {"old_password": "demo", "new_password1": "Budget-Tarn-2027",
            "new_password2": "Budget-Tarn-2027"} if method == "post" else None
    response = getattr(client, method)("/losenord/", data, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Du är inloggad med kommunens konto. Lösenordet byter du där" in (
        response.content.decode())
    person.refresh_from_db()
    assert person.check_password("demo")


def test_the_administrator_records_a_persons_anstallnings_id(client, municipality):
    client.post("/logga-in/", {"username": "admin", "password": "demo"})
    ekonom = User.objects.get(username="ekonom")
    form = client.get(f"/personer/{ekonom.pk}/andra/")
    assert "Anställnings-id" in form.content.decode()
    version = form.context["form"].initial["version"]
    client.post(
        f"/personer/{ekonom.pk}/andra/",
        {
            "version": version,
            "first_name": ekonom.first_name,
            "last_name": ekonom.last_name,
            "email": ekonom.email,
            "title": ekonom.title,
            "external_id": " E1001 ",
            "is_active": "on",
        },
    )
    ekonom.refresh_from_db()
    assert ekonom.external_id == "E1001"
    assert "E1001" in client.get(f"/personer/{ekonom.pk}/").content.decode()


def test_two_people_cannot_share_an_anstallnings_id(client, municipality):
    User.objects.filter(username="ekonom").update(external_id="E1001")
    client.post("/logga-in/", {"username": "admin", "password": "demo"})
    other = User.objects.get(username="bun.ordforande")
    version = client.get(f"/personer/{other.pk}/andra/").context["form"].initial["version"]
    response = client.post(
        f"/personer/{other.pk}/andra/",
        {
            "version": version,
            "first_name": other.first_name,
            "last_name": other.last_name,
            "email": other.email,
            "title": other.title,
            "external_id": "E1001",
            "is_active": "on",
        },
    )
    assert "Anställnings-id:t tillhör redan en annan person." in response.content.decode()
    other.refresh_from_db()
    assert other.external_id is None


def test_people_without_an_anstallnings_id_are_many(client, municipality):
    client.post("/logga-in/", {"username": "admin", "password": "demo"})
    response = client.post(
        "/personer/ny/",
        {
            "username": "ny.person",
            "first_name": "Ny",
            "last_name": "Person",
            "external_id": "",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="ny.person").external_id is None
    assert User.objects.filter(external_id__isnull=True).count() > 1


def anonymous(request):
    request.user = AnonymousUser()
    return request


def test_the_no_access_page_speaks_english_to_those_who_chose_it(rf, db):
    with translation.override("en"):
        page = render_to_string(
            "registration/sso_refused.html",
            {"reason": "no_person"},
            request=anonymous(rf.get("/oidc/callback/")),
        )
    assert "You do not have access to Styrmodell yet" in page
    assert "system administrator" in page
