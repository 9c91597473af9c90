"""Every URL of the budget app, gathered from its capability packages under one namespace."""

from budget.cycle import urls as cycle
from budget.followup import urls as followup
from budget.frames import urls as frames
from budget.investments import urls as investments
from budget.ledger import urls as ledger
from budget.reserves import urls as reserves
from budget.taxrate import urls as taxrate
from budget.volumes import urls as volumes
from budget.yearend import urls as yearend

app_name = "budget"

urlpatterns = [
    *frames.urlpatterns,
    *investments.urlpatterns,
    *followup.urlpatterns,
    *ledger.urlpatterns,
    *cycle.urlpatterns,
    *reserves.urlpatterns,
    *taxrate.urlpatterns,
    *yearend.urlpatterns,
    *volumes.urlpatterns,
]
