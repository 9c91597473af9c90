"""The nämnd's decision on a case keeps its § in `paragraph`, as every other decision does."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_initial")]

    operations = [
        migrations.RenameField("avvikelse", "decision_paragraph", "paragraph"),
        migrations.RenameField("historicalavvikelse", "decision_paragraph", "paragraph"),
    ]
