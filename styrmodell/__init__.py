"""Styrmodell: the governance model of a Swedish municipality."""

from .celery import app as celery_app

__all__ = ["celery_app"]
