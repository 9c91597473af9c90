"""A model's own decision keeps its § in `paragraph`; a second body's in `<body>_paragraph`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budget", "0013_models_named_by_the_styrmodell")]

    operations = [
        migrations.RenameField("anslag", "decision_paragraph", "paragraph"),
        migrations.RenameField("historicalanslag", "decision_paragraph", "paragraph"),
        migrations.RenameField("ombudgetering", "decision_paragraph", "paragraph"),
        migrations.RenameField("historicalombudgetering", "decision_paragraph", "paragraph"),
        migrations.RenameField("lonereserv", "used_decided_on", "ksau_decided_on"),
        migrations.RenameField("historicallonereserv", "used_decided_on", "ksau_decided_on"),
        migrations.RenameField("lonereserv", "used_paragraph", "ksau_paragraph"),
        migrations.RenameField("historicallonereserv", "used_paragraph", "ksau_paragraph"),
    ]
