"""The browser tests never read the page at an instant right after an action. Playwright's
`count()`, `is_visible()`, `is_checked()`, `is_enabled()` and `is_hidden()` answer at once
about the page as it is, which after a click or a key press may still be the old one (CI once
counted 0 rows on the page a click was leaving); `expect(...)` waits for the answer. No
browser: this reads the tests' source."""

import itertools
import re
from pathlib import Path

ACTION = re.compile(r"\.(click|press|check|select_option|fill|dblclick|go_back|go_forward)\(")
INSTANT = re.compile(r"^\s*assert\b.*\.(count|is_visible|is_hidden|is_checked|is_enabled)\(\)")


def test_no_instant_read_follows_an_action():
    found = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for before, line in itertools.pairwise(lines):
            stripped = before.strip()
            if ACTION.search(before) and not stripped.startswith("#") and INSTANT.search(line):
                found.append(f"{path.name}: {line.strip()}")
    assert found == [], "use expect(...) after an action:\n" + "\n".join(found)
