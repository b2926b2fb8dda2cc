"""Page sections contributed by apps higher in the layer order.

A page owned by a low layer (the home page in `accounts`, the conference page in `dialogue`)
must show things that only higher apps know about (opinions, notices, assignments). Imports
go one way, so the low layer keeps a registry and the higher apps register renderers in their
AppConfig.ready(). A panel takes (request, obj) and returns HTML, or "" to show nothing.
"""

from collections.abc import Callable

from django.http import HttpRequest

Panel = Callable[[HttpRequest, object], str]


class PanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[str, list[tuple[int, Panel]]] = {}

    def register(self, order: int, slot: str = "main") -> Callable[[Panel], Panel]:
        def decorator(panel: Panel) -> Panel:
            panels = self._panels.setdefault(slot, [])
            if all(existing is not panel for _order, existing in panels):
                panels.append((order, panel))
                panels.sort(key=lambda item: item[0])
            return panel

        return decorator

    def render(self, request: HttpRequest, obj: object = None, slot: str = "main") -> list[str]:
        return [html for _order, panel in self._panels.get(slot, []) if (html := panel(request, obj))]
