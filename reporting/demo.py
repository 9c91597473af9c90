"""Demo data of the reporting app: one line per part."""

from . import demo_pdf, demo_reports


def seed() -> None:
    demo_reports.seed()
    demo_pdf.seed()
