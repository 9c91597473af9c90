"""Every URL of the budget app, gathered from its capability packages under one namespace."""

from budget.cycle import urls as cycle
from budget.followup import urls as followup
from budget.frames import urls as frames
from budget.investments import urls as investments
from budget.ledger import urls as ledger
from budget.reserves import urls as reserves
from budget.volumes import urls as volumes

app_name = "budget"

urlpatterns = [
    *frames.urlpatterns,
    *investments.urlpatterns,
    *followup.urlpatterns,
    *ledger.urlpatterns,
    *cycle.urlpatterns,
    *reserves.urlpatterns,
    *volumes.urlpatterns,
]
