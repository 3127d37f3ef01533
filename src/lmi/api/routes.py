"""The route table: every endpoint, declared once (routing, OpenAPI and the docs page).

Each theme module declares its own endpoints (``*_routes()``); this table only orders them.
Adding an endpoint means declaring it in its theme's list; adding a theme, one line here.
"""

from __future__ import annotations

from lmi.api.adverts import adverts_routes
from lmi.api.health import health_routes
from lmi.api.industries import industry_routes
from lmi.api.labour import labour_routes
from lmi.api.leo import leo_routes
from lmi.api.occupations import (
    compat_soc_routes,
    crosswalk_routes,
    occupation_routes,
    reference_routes,
)
from lmi.api.openapi import Endpoint
from lmi.api.outlook import outlook_routes
from lmi.api.pathways import pathway_routes
from lmi.api.pay import pay_routes
from lmi.api.releases import release_routes
from lmi.api.skills import skills_routes
from lmi.api.vacancies import vacancies_routes

__all__ = ["ENDPOINTS"]

#: hottest routes first: the router tries them in order
ENDPOINTS: tuple[Endpoint, ...] = (
    *compat_soc_routes(),
    *occupation_routes(),
    *crosswalk_routes(),
    *reference_routes(),
    *skills_routes(),
    *health_routes(),
    *release_routes(),
    *pay_routes(),
    *outlook_routes(),
    *industry_routes(),
    *leo_routes(),
    *pathway_routes(),
    *vacancies_routes(),
    *labour_routes(),
    *adverts_routes(),
)
