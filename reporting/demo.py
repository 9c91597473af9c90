"""Demo data of the reporting app: one line per part."""


def seed() -> None:
    from . import demo_reports

    demo_reports.seed()
