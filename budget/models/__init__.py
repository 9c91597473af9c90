"""The budget app's models, one module per part of the budget; import them from here."""

from .cycle import *  # noqa: F403
from .forecasts import *  # noqa: F403
from .frames import *  # noqa: F403
from .investments import *  # noqa: F403
from .ledger import *  # noqa: F403
from .outcomes import *  # noqa: F403
from .pot import *  # noqa: F403
from .volumes import *  # noqa: F403
