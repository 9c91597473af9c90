"""The budget app's models, one module per part of the budget; import them from here."""

from .frames import *  # noqa: F403
from .ledger import *  # noqa: F403
from .pot import *  # noqa: F403
