"""Records Django's reverse() and resolve() answers for the differential suite (tests/django/urls.test.js).

Run: /usr/bin/python3 tests/django/record/urls.py   (Debian's python3-django 3.2) -> tests/django/data/urls.json
Integers are written as strings so that JSON readers keep them exact.
"""
import sys
import uuid

from django.urls import path, re_path

import _django


def view(request, *args, **kwargs):
    return None


urlpatterns = [
    path('<path:v>', view, name='top'),  # tried last: see ORDER below
]
urlpatterns = [
    path('p/<path:v>', view, name='p'),
    path('s/<str:v>/', view, name='s'),
    path('i/<int:v>/', view, name='int'),
    path('slug/<slug:v>/', view, name='slug'),
    path('uuid/<uuid:v>/', view, name='uuid'),
    path('two/<int:a>/<str:b>/', view, name='two'),
    re_path(r'^u/(?P<s>[a-zà-ÿ]+)/$', view, name='u'),
    re_path(r'^g/([0-9]+)/([a-z]+)/$', view, name='groups'),
    path('<path:v>', view, name='top'),
]

_django.setup(ROOT_URLCONF=__name__)

from django.urls import NoReverseMatch, Resolver404, resolve, reverse  # noqa: E402

PATHY = ['/evil.example/x', '//evil.example', 'a b', 'a?b#c', '100%', '%2F', 'café', 'cafe\u0301', 'ü/ö', "!$&'()*+,;=:@~",
         'x//y', '..', '/', 'a\\b', '<script>', 'tab\there', 'emoji🎸', 'https://evil.example/', 'http:x']
INTS = [0, 7, 42, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, 2 ** 60, 2 ** 63 - 1, 2 ** 63, 123456789012345678901234, -1, '12', '0012']


def enc(value):
    """A value as JSON that keeps its type: ints as {"int": "digits"}."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {'int': str(value)}
    if isinstance(value, uuid.UUID):
        return {'uuid': str(value)}
    return value


def rev(name, kwargs=None, args=None):
    try:
        return {'url': reverse(name, kwargs=kwargs, args=args)}
    except NoReverseMatch:
        return {'error': 'NoReverseMatch'}


reverse_cases = []
for v in PATHY:
    for name in ('p', 's', 'top', 'slug'):
        reverse_cases.append({'name': name, 'kwargs': {'v': v}, **rev(name, {'v': v})})
for v in INTS:
    reverse_cases.append({'name': 'int', 'kwargs': {'v': enc(v)}, **rev('int', {'v': v})})
for s in ['café', 'cafe', 'CAFE', 'caf%C3%A9', 'ÿÿ', 'a/b']:
    reverse_cases.append({'name': 'u', 'kwargs': {'s': s}, **rev('u', {'s': s})})
for v in ['0b5f0b49-2fd2-4c0e-9f6e-8a3c2e8c9d11', '0B5F0B49-2FD2-4C0E-9F6E-8A3C2E8C9D11', 'not-a-uuid']:
    reverse_cases.append({'name': 'uuid', 'kwargs': {'v': v}, **rev('uuid', {'v': v})})
reverse_cases.append({'name': 'uuid', 'kwargs': {'v': {'uuid': '0b5f0b49-2fd2-4c0e-9f6e-8a3c2e8c9d11'}},
                      **rev('uuid', {'v': uuid.UUID('0b5f0b49-2fd2-4c0e-9f6e-8a3c2e8c9d11')})})
reverse_cases.append({'name': 'two', 'kwargs': {'a': enc(3), 'b': 'x y'}, **rev('two', {'a': 3, 'b': 'x y'})})
reverse_cases.append({'name': 'two', 'kwargs': {'a': enc(3)}, **rev('two', {'a': 3})})
reverse_cases.append({'name': 'two', 'kwargs': {'a': enc(3), 'b': 'x', 'c': 'extra'}, **rev('two', {'a': 3, 'b': 'x', 'c': 'extra'})})
for args in ([12, 'ab'], ['12', 'ab'], [12, 'AB'], [12]):
    reverse_cases.append({'name': 'groups', 'args': [enc(a) for a in args], **rev('groups', args=args)})

# resolve(): Django resolves the percent-decoded path_info, as the request handler gives it.
RESOLVE = ['/i/7/', '/i/0042/', '/i/9007199254740991/', '/i/9007199254740993/', '/i/9223372036854775807/',
           '/i/123456789012345678901234/', '/i/-1/', '/s/a b/', '/s/a/b/', '/p/a/b/c', '/p//evil.example', '/u/café/',
           '/u/CAFE/', '/g/12/ab/', '/g/12/AB/', '/uuid/0b5f0b49-2fd2-4c0e-9f6e-8a3c2e8c9d11/',
           '/uuid/0B5F0B49-2FD2-4C0E-9F6E-8A3C2E8C9D11/', '/two/3/x y/', '/slug/a-b_c/', '/slug/a.b/']
resolve_cases = []
for p in RESOLVE:
    try:
        m = resolve(p)
        resolve_cases.append({'path': p, 'name': m.url_name, 'args': [enc(a) for a in m.args],
                              'kwargs': {k: enc(v) for k, v in m.kwargs.items()}})
    except Resolver404:
        resolve_cases.append({'path': p, 'error': 'Resolver404'})

_django.write('urls.json', {
    'patterns': [
        {'name': 'p', 'route': 'p/<path:v>'}, {'name': 's', 'route': 's/<str:v>/'}, {'name': 'int', 'route': 'i/<int:v>/'},
        {'name': 'slug', 'route': 'slug/<slug:v>/'}, {'name': 'uuid', 'route': 'uuid/<uuid:v>/'},
        {'name': 'two', 'route': 'two/<int:a>/<str:b>/'},
        {'name': 'u', 'regex': '^u/(?<s>[a-zà-ÿ]+)/$'}, {'name': 'groups', 'regex': '^g/([0-9]+)/([a-z]+)/$'},
        {'name': 'top', 'route': '<path:v>'},
    ],
    'reverse': reverse_cases,
    'resolve': resolve_cases,
})
