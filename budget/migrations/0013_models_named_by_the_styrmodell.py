"""Models the styrmodell names take its Swedish word (README, Names)."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("budget", "0012_earmark_accounting"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RenameModel(old_name="FrameLine", new_name="Ramrad"),
        migrations.RenameModel(old_name="FordelningRad", new_name="Fordelningsrad"),
        migrations.RenameModel(old_name="HistoricalFordelningRad", new_name="HistoricalFordelningsrad"),
        migrations.RenameModel(old_name="PotApplication", new_name="Ansokan"),
        migrations.RenameModel(old_name="HistoricalPotApplication", new_name="HistoricalAnsokan"),
        migrations.RenameModel(old_name="SalaryReserve", new_name="Lonereserv"),
        migrations.RenameModel(old_name="HistoricalSalaryReserve", new_name="HistoricalLonereserv"),
        migrations.RenameModel(old_name="SalaryDistribution", new_name="Lonefordelning"),
        migrations.RenameModel(old_name="HistoricalSalaryDistribution", new_name="HistoricalLonefordelning"),
        migrations.RenameModel(old_name="YearEndDisposition", new_name="Resultatdisposition"),
        migrations.RenameModel(old_name="HistoricalYearEndDisposition", new_name="HistoricalResultatdisposition"),
        migrations.RenameModel(old_name="PlanYearFrame", new_name="Planram"),
        migrations.RenameModel(old_name="HistoricalPlanYearFrame", new_name="HistoricalPlanram"),
    ]
