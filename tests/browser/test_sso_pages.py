"""Single sign-on in Chromium against a real OpenID Connect provider (tests/oidc/provider.mjs).

The whole dance each time: the login page's button, the provider's own login and consent pages,
the callback (code for tokens, userinfo), and the start page or the refusal. The provider takes
any login name and sends it as the person's employee_id, which Styrmodell matches with
User.external_id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Response

from styrmodell.models import RoleAssignment, User
from tests.browser.conftest import VIEWPORT
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, running_provider

pytestmark = pytest.mark.browser

BUTTON = "Logga in med kommunens konto"


@pytest.fixture(scope="module")
def provider(live_server) -> Iterator[str]:
    with running_provider(live_server.url) as issuer:
        yield issuer


@pytest.fixture
def sso(provider, settings, municipality) -> str:
    """Styrmodell configured for the provider as a municipality would do it: issuer and client."""
    settings.OIDC_OP_ISSUER = provider
    settings.OIDC_OP_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_MATCH_CLAIM = "employee_id"
    settings.OIDC_CLOCK_LEEWAY = 0
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {
        **policy["DIRECTIVES"],
        "form-action": [*policy["DIRECTIVES"]["form-action"], provider],
    }
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return provider


@pytest.fixture
def new_page(browser, live_server, sso) -> Iterator[Callable[[], Page]]:
    """Fresh browser contexts as tests/browser/conftest.py opens them, where the refusals' 403
    is expected, and the provider's own pages load no fonts from the internet and no favicon.
    """
    contexts = []
    problems: list[str] = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        context.route(
            re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
            lambda route: route.fulfill(status=200, body=""),
        )
        context.route(f"{sso}/favicon.ico", lambda route: route.fulfill(status=204))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "status of 403" not in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "Fel i webbläsaren:\n" + "\n".join(problems)


def person(username: str, external_id: str) -> User:
    user = User.objects.get(username=username)
    user.external_id = external_id
    user.save()
    return user


def callbacks(page: Page) -> list[Response]:
    """The answers of Styrmodell's callback in this page, as they arrive."""
    seen: list[Response] = []
    page.on("response", lambda r: seen.append(r) if "/oidc/callback/" in r.url else None)
    return seen


def sign_in_at_provider(page: Page, provider: str, login: str) -> None:
    page.goto("/logga-in/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(f"{provider}/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "provider-password")
    page.click("button[type=submit]")  # the provider's login
    page.click("button[type=submit]")  # its consent
    page.wait_for_url(re.compile(r"^(?!" + re.escape(provider) + ").*"))
    page.wait_for_load_state()


def test_a_known_person_signs_in_and_lands_on_mina_uppgifter_as_themselves(
    new_page, live_server, sso
):
    ekonom = person("ekonom", "E1001")
    page = new_page()
    sign_in_at_provider(page, sso, "E1001")
    assert page.url == f"{live_server.url}/"
    assert page.locator(".user-box__name").inner_text() == ekonom.get_full_name()
    assert "Mina uppgifter" in page.content()
    # The password is the provider's to change: no link to change it here.
    assert page.get_by_role("link", name="Byt lösenord").count() == 0


def test_the_login_page_with_single_sign_on_is_accessible(new_page, sso, assert_accessible):
    page = new_page()
    page.goto("/logga-in/")
    assert page.get_by_role("link", name=BUTTON).is_visible()
    assert_accessible(page, "sso_login")


def test_an_unknown_person_gets_the_no_access_page_and_nothing_is_created(
    new_page, sso, assert_accessible
):
    people = User.objects.count()
    page = new_page()
    answers = callbacks(page)
    sign_in_at_provider(page, sso, "E9999")
    assert answers[-1].status == 403
    assert_accessible(page, "sso_no_access")
    heading = page.get_by_role("heading", name="Du har inte tillgång till Styrmodell ännu")
    assert heading.is_visible()
    assert "systemförvaltare" in page.content()
    assert User.objects.count() == people
    assert not User.objects.filter(external_id="E9999").exists()
    page.goto("/")
    assert "/logga-in/" in page.url


def test_e_mail_names_the_person_only_when_the_administrator_opts_in(
    new_page, live_server, settings, sso
):
    # The provider sends "<login>@ekbacka.example" as the e-mail of whoever logs in.
    User.objects.filter(username="ekonom").update(email="E5555@ekbacka.example")
    page = new_page()
    sign_in_at_provider(page, sso, "E5555")
    assert "Du har inte tillgång till Styrmodell ännu" in page.content()

    settings.OIDC_MATCH_EMAIL = True
    page = new_page()
    sign_in_at_provider(page, sso, "E5555")
    assert page.url == f"{live_server.url}/"
    assert (
        page.locator(".user-box__name").inner_text()
        == User.objects.get(username="ekonom").get_full_name()
    )


def test_a_person_without_a_role_gets_the_no_access_page(new_page, sso):
    newcomer = User.objects.create(username="ny.handlaggare", external_id="E1003")
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    page = new_page()
    answers = callbacks(page)
    sign_in_at_provider(page, sso, "E1003")
    assert answers[-1].status == 403
    assert "ingen roll just nu" in page.content()
    page.goto("/")
    assert "/logga-in/" in page.url


def test_a_disabled_person_is_refused(new_page, sso):
    disabled = person("ekonom", "E1002")
    disabled.is_active = False
    disabled.save()
    page = new_page()
    answers = callbacks(page)
    sign_in_at_provider(page, sso, "E1002")
    assert answers[-1].status == 403
    assert page.get_by_role("heading", name="Ditt konto i Styrmodell är avstängt").is_visible()
    page.goto("/")
    assert "/logga-in/" in page.url


def test_a_forged_state_is_refused(new_page, sso):
    person("ekonom", "E1001")
    page = new_page()
    page.goto("/logga-in/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(f"{sso}/**")  # the session now holds the state it sent
    response = page.goto("/oidc/callback/?code=made-up&state=forged-state")
    assert response.status == 403
    assert page.get_by_role("heading", name="Inloggningen gick inte igenom").is_visible()
    page.goto("/")
    assert "/logga-in/" in page.url


def test_a_replayed_callback_is_refused_in_the_same_and_in_another_browser(new_page, sso):
    person("ekonom", "E1001")
    page = new_page()
    answers = callbacks(page)
    sign_in_at_provider(page, sso, "E1001")
    callback_url = answers[0].url
    assert answers[0].status == 302  # the first use logs in

    again = page.goto(callback_url)
    assert again.status == 403
    assert page.get_by_role("heading", name="Inloggningen gick inte igenom").is_visible()

    thief = new_page()
    stolen = thief.goto(callback_url)
    assert stolen.status == 403
    thief.goto("/")
    assert "/logga-in/" in thief.url


def test_an_id_token_that_has_expired_on_arrival_is_refused(new_page, sso):
    # The provider gives "utgangen…" a token valid one second and holds it back for two.
    person("ekonom", "utgangen.E1004")
    page = new_page()
    answers = callbacks(page)
    sign_in_at_provider(page, sso, "utgangen.E1004")
    assert answers[-1].status == 403
    assert page.get_by_role("heading", name="Inloggningen gick inte igenom").is_visible()
    page.goto("/")
    assert "/logga-in/" in page.url


def test_the_same_late_token_is_taken_within_the_allowed_clock_leeway(
    new_page, live_server, settings, sso
):
    settings.OIDC_CLOCK_LEEWAY = 30
    person("ekonom", "utgangen.E1004")
    page = new_page()
    sign_in_at_provider(page, sso, "utgangen.E1004")
    assert page.url == f"{live_server.url}/"


def test_logout_ends_the_session_here_and_at_the_provider(new_page, live_server, sso):
    person("ekonom", "E1001")
    page = new_page()
    sign_in_at_provider(page, sso, "E1001")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{sso}/session/end**")
    assert "id_token_hint=" in page.url and "post_logout_redirect_uri=" in page.url
    page.click("button[autofocus], button[type=submit]")  # the provider asks: sign out?
    page.wait_for_url(f"{live_server.url}/logga-in/**")
    page.goto("/")
    assert "/logga-in/" in page.url
    # Signed out at the provider too: the button leads to its login page again, not straight in.
    page.goto("/logga-in/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(f"{sso}/**")
    assert page.locator("input[name=login]").is_visible()
