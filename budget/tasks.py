"""Background work of the budget app, named here for Celery's autodiscovery."""

from budget.ledger.upload_jobs import read_outcome_file

__all__ = ["read_outcome_file"]
