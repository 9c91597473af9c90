from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Mål"

    def ready(self) -> None:
        from styrmodell.dialogue import register_host

        from .models import (
            Enhetsmal,
            Malbedomning,
            Namndmal,
            OvergripandeMal,
            Uppdrag,
            Verksamhetsplan,
        )

        register_host(Namndmal, kind="namndmal")
        register_host(OvergripandeMal, kind="kf_goal")
        register_host(Uppdrag, kind="kf_goal")
        register_host(Malbedomning, kind="malbedomning")
        register_host(Enhetsmal, kind="enhetsmal")
        register_host(Verksamhetsplan, kind="verksamhetsplan")

        from django.utils.translation import gettext_lazy as _

        from styrmodell.appointments import Answerable, register
        from styrmodell.models import Side

        # A nämndmål's målansvarig writes its assessments (A3) for the appointment's period.
        register(Answerable(model_label="goals.namndmal", permission="answer_for_namndmal",
                            kind="malbedomning", side=Side.OFFICIALS, title=_("Målansvarig")))

        from styrmodell import due_work

        from . import (
            kolada_fetch,
            start_panels,  # noqa: F401  (the start page's goal panels)
        )

        # Key figures from Kolada, once a day (the hourly run skips a day already fetched).
        due_work.register("nyckeltal-kolada", kolada_fetch.fetch_due)
