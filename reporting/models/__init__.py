"""Models of the reporting app: one module per part."""

from .reports import *  # noqa: F403
