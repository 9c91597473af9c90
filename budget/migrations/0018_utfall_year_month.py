from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("budget", "0017_outcome_upload_in_background"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="utfall",
            index=models.Index(fields=["year", "month"], name="utfall_year_month"),
        ),
    ]
