"""Models of the reporting app, one module per part."""
from .pdf import *  # noqa: F403
