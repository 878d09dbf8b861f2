"""Adds Django 3.2's common passwords to manouche's list (auth/data/common-passwords.txt.gz), keeping its order.

The list already unions Django 5.2's and zxcvbn's (auth/data/README.md); Django 3.2 has 562 entries 5.2 dropped.
Run: /usr/bin/python3 tests/django/record/common_passwords.py   (idempotent: only missing entries are appended)
Also writes tests/django/data/common-passwords-django32.txt.gz, Django 3.2's own list, which the test checks against.
"""
import gzip
import os
import shutil

from django.contrib.auth.password_validation import CommonPasswordValidator

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
OURS = os.path.join(ROOT, 'auth', 'data', 'common-passwords.txt.gz')

with gzip.open(CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH, 'rt', encoding='utf-8') as f:
    django32 = [line.strip() for line in f if line.strip()]
with gzip.open(OURS, 'rt', encoding='utf-8') as f:
    ours = [line.strip() for line in f if line.strip()]
known = set(ours)
missing = [p for p in django32 if p not in known]
if missing:
    with gzip.open(OURS, 'wt', encoding='utf-8', compresslevel=9) as f:
        f.write('\n'.join(ours + missing) + '\n')
shutil.copyfile(CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH,
                os.path.join(ROOT, 'tests', 'django', 'data', 'common-passwords-django32.txt.gz'))
print('added', len(missing), 'of', len(django32), '->', len(ours) + len(missing))
