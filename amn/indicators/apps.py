from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "amn.indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.indicators.models import AggregateEntry, Indicator, Snapshot

        for model in (Indicator, AggregateEntry, Snapshot):
            auditlog.register(model)
