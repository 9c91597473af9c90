"""Signals the budget app sends to the apps above it (budget never imports them).

`forecast_saved(sender=Prognos, forecast=<Prognos>, created=<bool>)` is sent once per saved
forecast, after the transaction that saved it has committed (so a listener sees the saved rows
and nothing is announced for a save that rolled back). The deviations app listens to it to
open a case when a forecast shows a väsentligt underskott (D1); the numbers it needs come from
`budget.followup.selectors.variance_of(forecast=...)`.
"""

from django.dispatch import Signal

forecast_saved = Signal()
