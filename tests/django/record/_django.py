"""Shared set-up for the recorders: a minimal Django configured in-process, and a JSON writer."""
import json
import os
import sys

import django
from django.conf import settings

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def setup(**extra):
    """Configures Django once with only what the recorder needs (no database unless asked)."""
    opts = dict(
        SECRET_KEY='recorder-not-secret',
        ALLOWED_HOSTS=['testserver', 'localhost'],
        USE_TZ=True,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
    )
    opts.update(extra)
    settings.configure(**opts)
    django.setup()


def write(name, payload):
    """Writes data/<name> with the Django version that produced it, so a drift can be traced to its source."""
    payload = {'django': django.get_version(), 'python': sys.version.split()[0], **payload}
    path = os.path.join(DATA, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(payload, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write('\n')
    print('wrote', os.path.relpath(path), file=sys.stderr)
