"""Demo data of the reporting app: one line per part."""


def seed() -> None:
    from . import demo_pdf, demo_reports

    demo_reports.seed()
    demo_pdf.seed()
