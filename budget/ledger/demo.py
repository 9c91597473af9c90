"""Demo chart of accounts and each nämnd's verksamheter for Ekbacka kommun (idempotent)."""

from __future__ import annotations

from budget.models import Konto, Verksamhet
from styrmodell.models import OrganisationUnit

ACCOUNTS = (
    ("3110", "Taxor och avgifter"),
    ("3510", "Statsbidrag"),
    ("4610", "Köp av huvudverksamhet"),
    ("5010", "Löner månadsavlönade"),
    ("5410", "Sociala avgifter"),
    ("6110", "Lokalhyror"),
    ("6410", "Förbrukningsmaterial"),
    ("7810", "Avskrivningar"),
    ("8410", "Internränta"),
)
# The ledger's dimension 1 (kostnadsställe) codes double as the verksamheter's codes.
VERKSAMHETER = {
    "Kommunstyrelsen": (("100", "Politisk verksamhet"), ("110", "Kommunledning och administration"),
                        ("120", "Ekonomi och personal")),
    "Barn- och utbildningsnämnden": (("400", "Förskola"), ("410", "Grundskola"),
                                     ("420", "Gymnasieskola"), ("430", "Fritidshem")),
    "Socialnämnden": (("500", "Äldreomsorg"), ("510", "Individ- och familjeomsorg"),
                      ("520", "Stöd till personer med funktionsnedsättning")),
    "Samhällsbyggnadsnämnden": (("200", "Gata och park"), ("210", "Plan och bygg"),
                                ("220", "Räddningstjänst")),
    "Kultur- och fritidsnämnden": (("300", "Bibliotek"), ("310", "Fritid och idrott"),
                                   ("320", "Kulturskola")),
}


def seed() -> None:
    for number, name in ACCOUNTS:
        Konto.objects.get_or_create(number=number, defaults={"name": name})
    namnder = {unit.name: unit for unit in OrganisationUnit.objects.filter(name__in=VERKSAMHETER)}
    for namnd_name, rows in VERKSAMHETER.items():
        for code, name in rows:
            Verksamhet.objects.get_or_create(namnd=namnder[namnd_name], code=code,
                                             defaults={"name": name})
