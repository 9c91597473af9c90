"""The nämnd's approval of its report section keeps its § in `paragraph`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_feed_token_hashed")]

    operations = [
        migrations.RenameField("rapportavsnitt", "approval_paragraph", "paragraph"),
        migrations.RenameField("historicalrapportavsnitt", "approval_paragraph", "paragraph"),
    ]
