"""Rules of the sliders app: organisers offer a site; participants submit visions.

Submitting a vision is a contribution like a proposal: it follows the ``propose`` action of the
process's active phase (anonymous where the phase allows). Organisers (administrators, the
city's officials, the process's moderators) see the distribution of the visions.
"""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_moderator
from ecocite.web.core.phases import may_take_part

is_organiser = is_administrator | is_city_official | is_moderator

RULES = {
    # asked about the process
    "sliders.add_site": is_organiser,
    # asked about the site
    "sliders.add_vision": may_take_part("propose") | is_organiser,
    "sliders.view_visions": is_organiser,
}
