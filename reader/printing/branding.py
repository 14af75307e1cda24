"""An organizer's name and local contact line for prints: validated, never stored."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

LIMITS = {"org": 60, "contact": 80}
# Besides letters, marks and digits of any script and spaces: the punctuation
# of names and phone lines. Nothing else: no < > " ` { } \\ or control characters.
PUNCTUATION = set(".,:;()+-/#&'@·–—،؛")


def allowed(text: str) -> bool:
    """Tell whether every character of ``text`` may appear on a print.

    >>> allowed("Centro Legal (24h): +1 555-0100"), allowed("<b>hi</b>")
    (True, False)
    """
    return all(
        c in PUNCTUATION or c == " " or unicodedata.category(c)[0] in "LMN"
        for c in text
    )


class BrandingError(ValueError):
    """A field of the print form is not acceptable; the message says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Branding:
    """What an organizer adds to a print: their name and a contact line."""

    org: str = ""
    contact: str = ""

    def __bool__(self) -> bool:
        return bool(self.org or self.contact)

    @property
    def key(self) -> tuple[str, str]:
        return (self.org, self.contact)


def _clean(field: str, value: str, label: str) -> str:
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if len(value) > LIMITS[field]:
        raise BrandingError(
            field,
            # TRANSLATORS: %(field)s is "Organization name" or "Local contact
            # line", as translated; %(limit)s a number.
            _(
                "%(field)s is too long: use at most %(limit)s characters.",
                field=label,
                limit=LIMITS[field],
            ),
        )
    if not allowed(value):
        raise BrandingError(
            field,
            # TRANSLATORS: %(field)s is "Organization name" or "Local contact
            # line", as translated; %(signs)s the signs allowed: keep them.
            _(
                "%(field)s may only use letters, numbers, spaces and these "
                "signs: %(signs)s",
                field=label,
                signs=". , : ; ( ) + - / # & ' @ · – — ، ؛",
            ),
        )
    return value


def parse_branding(args) -> Branding:
    """Read and validate ``org`` and ``contact`` from request arguments."""
    return Branding(
        # TRANSLATORS: the name of a box of the print form, as %(field)s in
        # "%(field)s is too long..." and "%(field)s may only use letters...".
        org=_clean("org", args.get("org", ""), _("Organization name")),
        # TRANSLATORS: the name of a box of the print form, as %(field)s in
        # "%(field)s is too long..." and "%(field)s may only use letters...".
        contact=_clean("contact", args.get("contact", ""), _("Local contact line")),
    )
