"""How dates are written in English: "20 November 2026" in text, "20 Nov. 2026" in tables,
day before month as in the Swedish interface. The formats are the Swedish ones; only the
month names differ, and those come from the language's catalogue."""

from styrmodell.formats.sv.formats import *  # noqa: F403
