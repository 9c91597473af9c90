"""How dates are written in Swedish: "20 november 2026" in text, "20 nov. 2026" in tables.

The month abbreviations behind "N" are the usual Swedish ones (jan., feb., mars, apr., maj,
juni, juli, aug., sep., okt., nov., dec.); Django's own Swedish catalog drops the full stop, so
locale/sv overrides them. styrmodell.formatting writes the same forms from Python.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j N Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
# A typed date is read as ISO first (what <input type=date> sends), then as Swedes write it.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
