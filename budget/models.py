"""The budget app's models live in its capability packages; Django and the other apps
import them from here."""

from budget.cycle.models import *  # noqa: F403
from budget.followup.models import *  # noqa: F403
from budget.frames.models import *  # noqa: F403
from budget.investments.models import *  # noqa: F403
from budget.ledger.models import *  # noqa: F403
from budget.reserves.models import *  # noqa: F403
from budget.taxrate.models import *  # noqa: F403
from budget.volumes.models import *  # noqa: F403
from budget.yearend.models import *  # noqa: F403
