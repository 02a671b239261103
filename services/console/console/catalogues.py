"""Keeps the message catalogues in step with the code: `python -m console.catalogues`
extracts every msgid from the templates (`_()`, `{% trans %}`) and the Python
modules (`_()`, `gettext()`, `ngettext()`, `N_()`), adds the new ones to
`locales/{id,en}/LC_MESSAGES/console.po` with an empty translation, and marks the
ones no longer used obsolete. Then fill in each empty `msgstr`: the unit tests
refuse an empty translation."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from .i18n import BABEL_LOCALE, LANGUAGES, LOCALES, load_catalog

PACKAGE = Path(__file__).parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract() -> Catalog:
    found = Catalog(domain="console")
    for filename, line, message, _comments, _context in extract_from_dir(
        PACKAGE, METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        if filename.startswith("catalogues"):
            continue
        found.add(message, locations=[(filename, line)])
    return found


def update() -> list[str]:
    """Merges the extracted msgids into each catalogue; the msgids still untranslated."""
    template = extract()
    untranslated: list[str] = []
    for language in LANGUAGES:
        path = LOCALES / language / "LC_MESSAGES" / "console.po"
        catalog = load_catalog(language) if path.exists() else Catalog(locale=BABEL_LOCALE[language])
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as po:
            write_po(po, catalog, omit_header=False, sort_output=True, width=100)
        untranslated += [
            f"{language}: {m.id}"
            for m in catalog
            if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
        ]
    return untranslated


if __name__ == "__main__":
    missing = update()
    for line in missing:
        print("untranslated", line)
    sys.exit(1 if missing else 0)
