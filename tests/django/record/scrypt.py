"""Records Django's scrypt hashes (ScryptPasswordHasher, Django 4.0+; Django 3.2 has none) for tests/django/hashers.test.js.

Run with a Django >= 4 on the path, e.g. the 5.2 wheel unpacked: pip install --no-deps --target /tmp/dj52 django-5.2.x.whl
    PYTHONPATH=/tmp/dj52 /usr/bin/python3 tests/django/record/scrypt.py   -> tests/django/data/hashers-scrypt.json
"""
import hashlib

import _django

_django.setup(PASSWORD_HASHERS=['django.contrib.auth.hashers.ScryptPasswordHasher'])

from django.contrib.auth import hashers as h  # noqa: E402

hasher = h.ScryptPasswordHasher()
PASSWORDS = ['correct horse battery', '\ufb01nance-2024', 'finance-2024', 'cafe\u0301', 'caf\u00e9', 'a$b$c']
vectors = []
for i, pw in enumerate(PASSWORDS):
    salt = 'Salt%dabcdefghijklmnop' % i
    encoded = hasher.encode(pw, salt)
    checks = [{'password': v, 'django': h.check_password(v, encoded)} for v in PASSWORDS]
    vectors.append({'password': pw, 'salt': salt, 'encoded': encoded, 'checks': checks})

# The cost manouche used before (N=2^17, r=8): OpenSSL's default 32 MiB limit makes Python refuse it.
try:
    hashlib.scrypt(b'x', salt=b'y', n=2 ** 17, r=8, p=1, dklen=64)
    refused = None
except ValueError as err:
    refused = str(err)

_django.write('hashers-scrypt.json', {
    'defaults': {'N': hasher.work_factor, 'r': hasher.block_size, 'p': hasher.parallelism, 'maxmem': hasher.maxmem},
    'n17Refused': refused,
    'vectors': vectors,
})
