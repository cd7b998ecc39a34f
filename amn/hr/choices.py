"""Choices of the personnel registry: corps, grades and their promotion ladders, course kinds.

The grades are indicative: the grade names of the national police as listed by the French
Wikipedia article "Direction générale de la Sûreté nationale (Maroc)" (gardien de la paix,
brigadier, brigadier-chef, inspecteur, inspecteur principal, officier de police / de paix,
commandant, commissaire …) under the statute of the Dahir of 23 February 2010 on the DGSN
and its officials, and common grades of the Moroccan civil service for the administrative
and technical staff. The Arabic terms are the usual ones; neither list is an official
nomenclature, and the ladders (the next grade of a promotion) are simplified.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex of a staff member (F/M), as on the CNIE."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Corps(models.TextChoices):
    """The two bodies of DGSN personnel the release distinguishes: police officials
    (موظفو الشرطة) and administrative and technical staff (الأطر الإدارية والتقنية)."""

    UNIFORMED = "uniformed", _("Police officials")
    CIVIL = "civil", _("Administrative and technical staff")


class Grade(models.TextChoices):
    """Grades of both corps (indicative list, see the module docstring)."""

    # police officials: the "peace" track
    GARDIEN_PAIX = "gardien_paix", _("Police constable (gardien de la paix)")
    BRIGADIER = "brigadier", _("Brigadier")
    BRIGADIER_CHEF = "brigadier_chef", _("Chief brigadier")
    OFFICIER_PAIX = "officier_paix", _("Peace officer (officier de paix)")
    OFFICIER_PAIX_PRINCIPAL = "officier_paix_principal", _("Principal peace officer")
    COMMANDANT = "commandant", _("Peace commander (commandant)")
    # police officials: the inspector, officer and commissioner track
    INSPECTEUR = "inspecteur", _("Police inspector")
    INSPECTEUR_PRINCIPAL = "inspecteur_principal", _("Principal police inspector")
    OFFICIER_POLICE = "officier_police", _("Police officer (officier de police)")
    OFFICIER_POLICE_PRINCIPAL = "officier_police_principal", _("Principal police officer")
    COMMISSAIRE = "commissaire", _("Police commissioner")
    COMMISSAIRE_PRINCIPAL = "commissaire_principal", _("Principal police commissioner")
    COMMISSAIRE_DIVISIONNAIRE = "commissaire_divisionnaire", _("Divisional commissioner")
    CONTROLEUR_GENERAL = "controleur_general", _("Controller general")
    # administrative and technical staff
    ADJOINT_ADMINISTRATIF = "adjoint_administratif", _("Administrative assistant")
    ADMINISTRATEUR = "administrateur", _("Administrator (civil service grade)")
    ADJOINT_TECHNIQUE = "adjoint_technique", _("Technical assistant")
    TECHNICIEN = "technicien", _("Technician")
    INGENIEUR = "ingenieur", _("State engineer")
    INGENIEUR_EN_CHEF = "ingenieur_en_chef", _("Chief engineer")


# Promotion ladders, lowest grade first: a promotion moves one step up its ladder.
LADDERS: dict[str, tuple[tuple[str, ...], ...]] = {
    Corps.UNIFORMED: (
        (
            Grade.GARDIEN_PAIX,
            Grade.BRIGADIER,
            Grade.BRIGADIER_CHEF,
            Grade.OFFICIER_PAIX,
            Grade.OFFICIER_PAIX_PRINCIPAL,
            Grade.COMMANDANT,
        ),
        (
            Grade.INSPECTEUR,
            Grade.INSPECTEUR_PRINCIPAL,
            Grade.OFFICIER_POLICE,
            Grade.OFFICIER_POLICE_PRINCIPAL,
            Grade.COMMISSAIRE,
            Grade.COMMISSAIRE_PRINCIPAL,
            Grade.COMMISSAIRE_DIVISIONNAIRE,
            Grade.CONTROLEUR_GENERAL,
        ),
    ),
    Corps.CIVIL: (
        (Grade.ADJOINT_ADMINISTRATIF, Grade.ADMINISTRATEUR),
        (Grade.ADJOINT_TECHNIQUE, Grade.TECHNICIEN, Grade.INGENIEUR, Grade.INGENIEUR_EN_CHEF),
    ),
}

# grade → its corps
GRADE_CORPS: dict[str, str] = {
    grade: corps for corps, ladders in LADDERS.items() for ladder in ladders for grade in ladder
}
# grade → the next grade up its ladder (absent for the top of a ladder)
NEXT_GRADE: dict[str, str] = {
    ladder[i]: ladder[i + 1]
    for ladders in LADDERS.values()
    for ladder in ladders
    for i in range(len(ladder) - 1)
}
# grade → its rank on its ladder (0 = entry), to tell a promotion from a demotion
GRADE_STEP: dict[str, int] = {
    grade: step
    for ladders in LADDERS.values()
    for ladder in ladders
    for step, grade in enumerate(ladder)
}


class CourseKind(models.TextChoices):
    """Kinds of training: initial (after recruitment), continuing, specialised."""

    INITIAL = "initial", _("Initial training")
    CONTINUING = "continuing", _("Continuing training")
    SPECIALISED = "specialised", _("Specialised training")
