# One date and one time format per language, everywhere (pages, cards, PDF, e-mail): Django's
# defaults mix "Dec. 7, 2026", "12/07/2026 1:41 p.m." and ISO dates. The 24-hour clock never ends a
# sentence in "p.m.." and reads the same in every language.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
