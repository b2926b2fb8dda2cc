"""The seam between the layers, read line by line (docs/ARCHITECTURE.md): no module or
template of `dialogue` or `petitions` names a model, a status, a reverse relation or a URL of
an app above it. What they need to know about follow-up they ask through petitions.ports,
which the higher apps fill in their AppConfig.ready()."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = [
    "core",
    "accounts",
    "registers",
    "dialogue",
    "petitions",
    "messaging",
    "conclusions",
    "dashboards",
    "public_pages",
]
CHECKED = ["registers", "dialogue", "petitions"]
NAMESPACES = {"public_pages": "public"}  # an app's URL namespace, where it is not its label
URL_TAG = re.compile(r"""{%\s*url\s+["']([\w-]+):""")


def _higher(app: str) -> list[str]:
    return LAYERS[LAYERS.index(app) + 1 :]


def _higher_namespaces(app: str) -> set[str]:
    return {NAMESPACES.get(label, label) for label in _higher(app)}


def _own_choice_values(app: str) -> set[str]:
    """Status values an app and those below it define themselves (a word two apps share,
    like "draft", is not another app's literal when the app has it too)."""
    from petitions.events import CitizenEvent

    # The events a citizen is told of are petitions' own words ("assigned" is also a status
    # of conclusions' assignments, but the event is not that status).
    values: set[str] = set(CitizenEvent.ALL) if LAYERS.index(app) >= LAYERS.index("petitions") else set()
    for label in LAYERS[: LAYERS.index(app) + 1]:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.fields:
                values.update(str(value) for value, _label in field.flatchoices)
    if "petitions" in LAYERS[: LAYERS.index(app) + 1]:
        # The kinds of citizen event (petitions/events.py) are petitions' own words, stored in
        # message keys, even where one reads like a higher app's status ("assigned").
        from petitions.events import CitizenEvent

        values.update(CitizenEvent.ALL)
    return values


def _forbidden_names(app: str) -> tuple[set[str], set[str], set[str]]:
    """Model class names, status values and reverse accessors that belong to higher apps."""
    models, statuses, accessors = set(), set(), set()
    lower = {m for label in LAYERS[: LAYERS.index(app) + 1] for m in apps.get_app_config(label).get_models()}
    for label in _higher(app):
        for model in apps.get_app_config(label).get_models():
            models.add(model.__name__)
            for field in model._meta.get_fields():
                if getattr(field, "flatchoices", None) and field.name == "status":
                    statuses.update(str(value) for value, _label in field.flatchoices)
                reverse_relation = (
                    field.is_relation and not field.auto_created and not field.remote_field.hidden
                )
                if reverse_relation and field.related_model in lower:
                    accessors.add(field.remote_field.get_accessor_name())
    return models, statuses - _own_choice_values(app), accessors


def _sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _relation_argument(call: ast.Call, accessors: set[str]) -> str:
    """A reverse relation passed by name: prefetch_related("assignments"), get_field(...)."""
    for argument in call.args:
        if isinstance(argument, ast.Constant) and argument.value in accessors:
            return argument.value
    return ""


def _code_offences(path: Path, app: str) -> list[str]:
    models, statuses, accessors = _forbidden_names(app)
    higher = set(_higher(app))
    offences = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in higher:
            offences.append(f"{where} imports {node.module}")
            offences += [f"{where} names the model {a.name}" for a in node.names if a.name in models]
        elif isinstance(node, ast.Import):
            offences += [f"{where} imports {a.name}" for a in node.names if a.name.split(".")[0] in higher]
        elif isinstance(node, ast.Name) and node.id in models:
            offences.append(f"{where} names the model {node.id}")
        elif isinstance(node, ast.Call) and _relation_argument(node, accessors):
            offences.append(f"{where} names the relation {_relation_argument(node, accessors)!r}")
        elif isinstance(node, ast.Attribute) and (node.attr in models or node.attr in accessors):
            offences.append(f"{where} reaches {node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            if value in statuses:
                offences.append(f"{where} writes the status {value!r}")
            elif "__" in value and value.split("__")[0] in accessors:
                offences.append(f"{where} names the relation {value!r}")
            elif value.split(".")[0] in higher and re.fullmatch(r"[a-z]+\.[A-Z]\w+", value):
                offences.append(f"{where} names the model {value!r}")
            elif value.split(":")[0] in _higher_namespaces(app) and re.fullmatch(r"[\w-]+:[\w-]+", value):
                offences.append(f"{where} names the URL {value!r}")
    return offences


@pytest.mark.parametrize("app", CHECKED)
def test_no_module_names_a_higher_app(app):
    offences = [offence for path in _sources(app) for offence in _code_offences(path, app)]
    assert offences == []


@pytest.mark.parametrize("app", CHECKED)
def test_no_template_links_to_a_higher_app(app):
    higher = _higher_namespaces(app)
    offences = [
        f"{path.relative_to(ROOT)}: {namespace}"
        for path in sorted((ROOT / "templates" / app).rglob("*.html"))
        for namespace in URL_TAG.findall(path.read_text())
        if namespace in higher
    ]
    assert offences == []


def test_the_check_sees_an_offence(tmp_path):
    """The walker itself: a module that does what the seam forbids is caught on each count."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from conclusions.models import Assignment\n"
        "def f(petition):\n"
        "    petition.assignments.filter(notice__status='issued')\n"
        "    Prefetch('assignments')\n"
        "    return reverse('conclusions:assignment')\n"
    )
    offences = " ".join(_code_offences(bad, "petitions")).replace(str(tmp_path), "")
    for expected in (
        "imports conclusions.models",
        "names the model Assignment",
        "reaches assignments",
        "names the relation 'assignments'",
    ):
        assert expected in offences
    assert "'issued'" in offences and "'conclusions:assignment'" in offences
