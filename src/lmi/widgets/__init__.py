"""The website and embeddable widgets served by lmi: landing, data pages, docs and widgets."""

from lmi.widgets.routes import site_routes

__all__ = ["site_routes"]
