"""WSGI entry point: `amn.wsgi.application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amn.settings")
application = get_wsgi_application()
