"""The WSGI application (waitress serves it; so can any WSGI server behind a proxy)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generator.workbench.settings")
application = get_wsgi_application()
