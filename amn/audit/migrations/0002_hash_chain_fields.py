import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "default_permissions": ("view",),
                "ordering": ["-seq"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="at"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_role",
            field=models.CharField(blank=True, max_length=32, verbose_name="actor's role"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="previous event's hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("last_seq", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
                (
                    "anchor_seq",
                    models.BigIntegerField(
                        default=1,
                        help_text="First sequence number still kept (older ones were purged).",
                    ),
                ),
                ("anchor_prev_hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit chain head", "default_permissions": ("view",)},
        ),
    ]
