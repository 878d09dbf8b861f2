"""Records Django's APPEND_SLASH answers (CommonMiddleware) for every method, in and out of DEBUG, and `OPTIONS *`.

Run: /usr/bin/python3 tests/django/record/append_slash.py -> tests/django/data/append-slash.json
"""
from django.http import HttpResponse
from django.urls import path

import _django


def view(request, *args, **kwargs):
    return HttpResponse('ok')


urlpatterns = [
    path('items/', view),
    path('café/', view),
    path('open', view),
]

_django.setup(ROOT_URLCONF=__name__, MIDDLEWARE=['django.middleware.common.CommonMiddleware'], DEBUG=False)

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
REQUESTS = [(m, '/items?a=1') for m in METHODS] + [('GET', '/caf%C3%A9'), ('GET', '/open'), ('GET', '/nothing'),
                                                      ('POST', '/nothing'), ('GET', '/items/'), ('OPTIONS', '*')]

client = Client(raise_request_exception=False)
cases = []
for debug in (False, True):
    with override_settings(DEBUG=debug):
        for method, url in REQUESTS:
            if url == '*':
                # The test client would turn '*' into a path; build the WSGI request as a server does for `OPTIONS *`.
                environ = client._base_environ(REQUEST_METHOD='OPTIONS', PATH_INFO='*')
                response = client.handler(environ)
            else:
                p, _, q = url.partition('?')
                response = client.generic(method, p, data=b'a=1' if method in ('POST', 'PUT', 'PATCH') else b'',
                                          content_type='application/x-www-form-urlencoded', QUERY_STRING=q)
            cases.append({'debug': debug, 'method': method, 'url': url, 'status': response.status_code,
                          'location': response.get('Location')})

_django.write('append-slash.json', {'settings': {'APPEND_SLASH': True}, 'cases': cases})
