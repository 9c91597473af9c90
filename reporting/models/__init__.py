"""Models of the reporting app, one module per part."""

from .companies import *  # noqa: F403
from .feed import *  # noqa: F403
from .pdf import *  # noqa: F403
from .reports import *  # noqa: F403
