"""Records Django's four default password validators on a table of passwords (tests/django/validators.test.js).

Run: /usr/bin/python3 tests/django/record/validators.py -> tests/django/data/validators.json
"""
import gzip

import _django

_django.setup(AUTH_PASSWORD_VALIDATORS=[
    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},
    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},
], INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes'])

from django.contrib.auth import password_validation as pv  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402


class User:
    """What the similarity validator reads, as on Django's User (username, first/last name, email)."""
    _meta = type('Meta', (), {'get_field': staticmethod(lambda name: type('F', (), {'verbose_name': name.replace('_', ' ') if name != 'email' else 'email address'})())})

    def __init__(self, **kw):
        self.__dict__.update(kw)


USER = {'username': 'jdoe', 'first_name': 'John', 'last_name': 'Doe', 'email': 'john.doe@example.com'}
PASSWORDS = ['\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663', '\u0968\u0966\u0968\u0966\u0968\u0966\u0968\u0966', '12345678',
             '\u00b2\u00b3\u00b9\u00b2\u00b3\u00b9\u00b2\u00b3', '\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467', '1234567x',
             'zxcvbnm,./', 'ZXCVBNM,./', '  password  ', 'poot62', 'dianita', 'correct horse battery', 'short', 'jdoe1234',
             'john.doe@example', 'Doe-John-2024', 'gWq8#pL2!z', '\u0661\u0662\u0663', '\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18']
cases = []
for pw in PASSWORDS:
    try:
        pv.validate_password(pw, User(**USER))
        errors = []
    except ValidationError as err:
        errors = list(err.messages)
    cases.append({'password': pw, 'errors': errors})

with gzip.open(pv.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH, 'rt', encoding='utf-8') as f:
    common = sorted({line.strip() for line in f})

_django.write('validators.json', {'user': USER, 'cases': cases, 'commonPasswordCount': len(common)})
# The whole list is not copied here: auth/data/common-passwords.txt.gz holds it (see common_passwords.py).
