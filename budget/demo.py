"""The budget demo for Ekbacka kommun: each package seeds its own part, in the order that lets
later parts read what earlier ones made. Idempotent, like each part.
"""

from __future__ import annotations

from django.db import transaction

from budget.cycle import demo as demo_cycle
from budget.followup import demo as demo_forecasts
from budget.frames import demo as demo_frames
from budget.frames.demo import DECIDED
from budget.investments import demo as demo_investments
from budget.ledger import demo as demo_ledger
from budget.ledger import demo_outcomes
from budget.reserves import demo as demo_pot
from budget.volumes import demo as demo_volumes

__all__ = ["DECIDED", "seed"]


@transaction.atomic
def seed() -> None:
    demo_frames.seed_frames()
    demo_frames.seed_plan_population()
    demo_ledger.seed()
    demo_investments.seed()
    demo_pot.seed_decisions()  # grants and salary shares change the 2026 frames
    demo_cycle.seed()
    demo_forecasts.seed(decided=DECIDED)
    demo_outcomes.seed()
    demo_volumes.seed()
    demo_pot.seed_year_end()  # reads the 2025 outcomes
