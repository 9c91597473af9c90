"""The figure presented at the meeting is the forecast's variance from the frame, a number;
a deviation is the case (Avvikelse). The column is renamed, its data kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0006_paragraph_field_one_spelling"),
    ]

    operations = [
        migrations.RenameField(
            model_name="meetingpresentation", old_name="deviation", new_name="variance",
        ),
        migrations.RenameField(
            model_name="historicalmeetingpresentation", old_name="deviation", new_name="variance",
        ),
    ]
