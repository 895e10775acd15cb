"""The WSGI application, for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecocite.web.settings")
application = get_wsgi_application()

# Parse the bundled frameworks once, before gunicorn forks its workers.
from ecocite.web.frameworks.registry import warm_up  # noqa: E402

warm_up()
