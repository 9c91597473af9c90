"""The calendar feed's secret is stored hashed: existing tokens are hashed in place, so every
address already subscribed to keeps working, and the plain token is dropped."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeedToken = apps.get_model("reporting", "CalendarFeedToken")
    for row in CalendarFeedToken.objects.all():
        row.token_hash = hashlib.sha256(row.token.encode("utf-8")).hexdigest()
        row.save(update_fields=["token_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0004_companies"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True,
                                   verbose_name="nyckelns kontrollsumma"),
        ),
        # A hash cannot be turned back into the address: nothing to do backwards but forget.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="calendarfeedtoken", name="token"),
        migrations.AlterField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True,
                                   verbose_name="nyckelns kontrollsumma"),
        ),
    ]
