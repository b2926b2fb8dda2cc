"""Sections of the home page that higher apps contribute, one slot per role (see core.panels)."""

from core.panels import PanelRegistry

home_panels = PanelRegistry()
