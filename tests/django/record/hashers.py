"""Records password hashes made by every hasher Django 3.2 ships, and Django's check_password() on variants.

Run (bcrypt and argon2-cffi are needed by Django's bcrypt/argon2 hashers; any install of them works):
    PYTHONPATH=<dir with bcrypt and argon2-cffi> /usr/bin/python3 tests/django/record/hashers.py
  e.g. pip install --target /tmp/djpy bcrypt argon2-cffi, then PYTHONPATH=/tmp/djpy
-> tests/django/data/hashers.json

Most vectors use cheap parameters (subclasses that change only the cost) so that the suite stays fast; one vector
per hasher keeps Django 3.2's default cost. Django reads the cost from the hash itself when it verifies.
"""
import unicodedata

import _django

ALL = [
    'django.contrib.auth.hashers.PBKDF2PasswordHasher',
    'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
    'django.contrib.auth.hashers.Argon2PasswordHasher',
    'django.contrib.auth.hashers.BCryptSHA256PasswordHasher',
    'django.contrib.auth.hashers.BCryptPasswordHasher',
    'django.contrib.auth.hashers.SHA1PasswordHasher',
    'django.contrib.auth.hashers.MD5PasswordHasher',
    'django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher',
    'django.contrib.auth.hashers.UnsaltedMD5PasswordHasher',
]
_django.setup(PASSWORD_HASHERS=ALL)

from django.contrib.auth import hashers as h  # noqa: E402


class CheapPBKDF2(h.PBKDF2PasswordHasher):
    iterations = 1000


class CheapPBKDF2SHA1(h.PBKDF2SHA1PasswordHasher):
    iterations = 1000


class CheapArgon2(h.Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


class CheapBCryptSHA256(h.BCryptSHA256PasswordHasher):
    rounds = 4


class CheapBCrypt(h.BCryptPasswordHasher):
    rounds = 4


PASSWORDS = ['correct horse battery', '\ufb01nance-2024', 'cafe\u0301', 'caf\u00e9', 'p\u00e4ssw\u00f6rd \U0001f511', 'a$b$c', ' spaced ']
CHEAP = [CheapPBKDF2(), CheapPBKDF2SHA1(), CheapArgon2(), CheapBCryptSHA256(), CheapBCrypt(), h.SHA1PasswordHasher(),
         h.MD5PasswordHasher(), h.UnsaltedSHA1PasswordHasher(), h.UnsaltedMD5PasswordHasher()]
DEFAULT = [h.PBKDF2PasswordHasher(), h.PBKDF2SHA1PasswordHasher(), h.Argon2PasswordHasher(), h.BCryptSHA256PasswordHasher(),
           h.BCryptPasswordHasher()]


def variants(pw):
    """The password, what Unicode normalisation would make of it, and a wrong one: Django compares bytes, not text."""
    out = [pw]
    for form in ('NFKC', 'NFC', 'NFD'):
        v = unicodedata.normalize(form, pw)
        if v not in out:
            out.append(v)
    out.append(pw + 'x')
    return out


def salt_for(hasher, i):
    if hasher.algorithm.startswith('unsalted'):
        return ''
    if hasher.algorithm.startswith('bcrypt'):
        return hasher.salt()  # bcrypt makes its own salt string
    return 'Salt%dabcdefghijklmnop' % i  # 22 characters, as Django's salt()


vectors = []
for hasher in CHEAP:
    for i, pw in enumerate(PASSWORDS):
        encoded = hasher.encode(pw, salt_for(hasher, i))
        vectors.append({'hasher': hasher.algorithm, 'password': pw, 'encoded': encoded,
                        'checks': [{'password': v, 'django': h.check_password(v, encoded)} for v in variants(pw)]})
for hasher in DEFAULT:
    pw = PASSWORDS[0]
    encoded = hasher.encode(pw, salt_for(hasher, 0))
    vectors.append({'hasher': hasher.algorithm, 'password': pw, 'encoded': encoded, 'defaultCost': True,
                    'checks': [{'password': v, 'django': h.check_password(v, encoded)} for v in variants(pw)]})
# manouche's PBKDF2 cost (Django 5.2's 1,000,000 iterations), written by Django 3.2: manouche's own hash must be identical.
for hasher in (h.PBKDF2PasswordHasher(), h.PBKDF2SHA1PasswordHasher()):
    pw = PASSWORDS[1]
    encoded = hasher.encode(pw, salt_for(hasher, 1), iterations=1_000_000)
    vectors.append({'hasher': hasher.algorithm, 'password': pw, 'encoded': encoded, 'manoucheCost': True,
                    'checks': [{'password': v, 'django': h.check_password(v, encoded)} for v in variants(pw)]})
# An unsalted MD5 hash as the oldest Django wrote it: 32 hex digits, no algorithm prefix.
legacy = h.UnsaltedMD5PasswordHasher().encode('correct horse battery', '')
vectors.append({'hasher': 'unsalted_md5', 'password': 'correct horse battery', 'encoded': legacy,
                'checks': [{'password': 'correct horse battery', 'django': h.check_password('correct horse battery', legacy)},
                           {'password': 'nope', 'django': h.check_password('nope', legacy)}]})
# What Django identifies each hash as (the unsalted ones by length).
for v in vectors:
    v['identified'] = h.identify_hasher(v['encoded']).algorithm

_django.write('hashers.json', {'hashers': ALL, 'vectors': vectors})
