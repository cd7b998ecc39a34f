"""Comparing a name as given (by a partner, or in a pre-application) with a card's.

Both sides are brought to the comparison form of the person registry's matching
(amn.people.matching): Latin names without case, accents, apostrophes or free-standing
articles, with particles joined ("Ben Kirane" = "BENKIRANE"); Arabic names without
diacritics, tatweel or article, with the hamza forms of alef, ta marbuta and alef maqsura
folded ("أحمد" = "احمد"). A name written in Arabic letters is compared with the card's Arabic
name, any other with its Latin name. Spelling variants ("Mohammed" for "Mohamed") are NOT
accepted: a verification confirms the name as printed on the card.
"""

from amn.people.matching.arabic import arabic_name_normalise, has_arabic
from amn.people.matching.latin import latin_name_normalise


def name_form(text: str) -> str:
    """The comparison form of one name field (str; "" when it holds no letter)."""
    if has_arabic(text):
        return arabic_name_normalise(text)
    return latin_name_normalise(text)


def name_matches(given: str, *, latin: str, arabic: str) -> bool:
    """True when name `given` (either script) is the card's `latin` or `arabic` name in
    comparison form; an empty name never matches."""
    form = name_form(given)
    if not form:
        return False
    if has_arabic(given):
        return form == arabic_name_normalise(arabic)
    return form.replace(" ", "") == latin_name_normalise(latin).replace(" ", "")
