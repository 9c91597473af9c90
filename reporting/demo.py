"""Demo data of the reporting app: each part's seed(), one line each."""


def seed() -> None:
    from . import demo_pdf

    demo_pdf.seed()
