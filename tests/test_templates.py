"""Template syntax that Django renders as text instead of failing: a `{# … #}` comment must
end on the line it starts (a longer one is `{% comment %}`); otherwise the comment's words
appear on the page (found on the assignment page's action cards and the lists' pagination)."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OPENING = re.compile(r"\{#")


def test_no_comment_runs_over_a_line():
    broken = []
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for opening in OPENING.finditer(line):
                if "#}" not in line[opening.end() :]:
                    broken.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert broken == [], "use {% comment %} for a comment of several lines: " + ", ".join(broken)
