import pytest
from django.conf import settings


@pytest.mark.parametrize("cookie", [None, "de", "xx-YY", "<script>", "ar"])
def test_default_and_unknown_languages_give_arabic_rtl(client, cookie, db):
    if cookie is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.8")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_switcher_sets_a_left_to_right_language(client, language, db):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    page = client.get("/about/")
    assert page["Content-Language"] == language
    assert f'<html lang="{language}" dir="ltr">' in page.content.decode()


def test_switcher_ignores_an_unknown_language(client, db):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert client.get("/")["Content-Language"] == "ar"


def test_every_page_offers_the_three_languages(client, db):
    for path in ("/", "/about/", "/stations/", "/accounts/login/", "/accounts/staff/login/"):
        html = client.get(path).content.decode()
        for code, native in (("ar", "العربية"), ("fr", "Français"), ("en", "English")):
            assert f'value="{code}"' in html and native in html, (path, code)


def test_expired_form_gets_a_translated_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/register/", {"email": "x@y.ma"})

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتهت صلاحية الاستمارة" in html
