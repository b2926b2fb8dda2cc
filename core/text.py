"""Vietnamese text folding for accent-free search.

`fold("Đất đai – GPMB")` gives `"dat dai - gpmb"`: lower case, tone and vowel marks removed,
`đ` turned into `d`, runs of white space and dashes made plain. The folded text is stored in an
indexed column when a row is saved, so search behaves the same on SQLite and PostgreSQL and
needs no database extension beyond a trigram index.
"""

import re
import unicodedata

# Words longer than this are cut in the word index of large tables (a GIN key must fit in a
# third of a page); the LIKE that always comes with the index condition keeps matches exact.
SEARCH_WORD_INDEXED_LENGTH = 200

_WHITESPACE = re.compile(r"\s+")
# En and em dashes are common in category names ("đất đai – GPMB"); users type "-".
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    if not text:
        return ""
    text = text.translate(_DASHES)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped.lower()).strip()


def search_terms(query: str | None) -> list[str]:
    """The folded words of a user's query; every one must occur in a match."""
    return [term for term in fold(query).split(" ") if term]
