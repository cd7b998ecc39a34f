"""The Arabic and French catalogs are complete, and the pages come out translated.

The catalogs are read with Babel, the same library that compiles them (`make messages`);
the page tests need the compiled .mo files.
"""

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE_DIR = settings.BASE_DIR / "locale"
PLURAL_FORMS = {
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5;"
    ),
    "fr": "nplurals=2; plural=(n > 1);",
}
HOME_HEADING = {
    "ar": "المديرية العامة للأمن الوطني",
    "fr": "Direction générale de la sûreté nationale",
}


def catalog(language):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language, domain="django")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_catalog_header(language):
    messages = catalog(language)
    assert str(messages.locale) == language
    assert messages.project == "Amn"
    assert messages.charset.lower() == "utf-8"
    assert messages.plural_forms == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_message_is_translated_and_not_fuzzy(language):
    messages = catalog(language)
    entries = [message for message in messages if message.id]
    assert entries, "empty catalog: run `amn makemessages`"
    untranslated, fuzzy = [], []
    for message in entries:
        if message.fuzzy:
            fuzzy.append(message.id)
        forms = message.string if message.pluralizable else (message.string,)
        complete = len(forms) == messages.num_plurals if message.pluralizable else True
        if not complete or not all(form and form.strip() for form in forms):
            untranslated.append(message.id)
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_placeholders_survive_translation(language):
    """Babel's checkers: %(name)s placeholders of python-format messages are kept."""
    problems = [(message.id, errors) for message, errors in catalog(language).check()]
    assert not problems


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_home_page_heading_is_translated(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert f"<h1>{HOME_HEADING[language]}</h1>" in html, "is the .mo compiled? (make messages)"
    assert "Directorate-General for National Security" not in html


def test_french_home_page_is_left_to_right(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get("/").content.decode()
    assert 'lang="fr"' in html
    assert 'dir="ltr"' in html
