"""Records Django's dumpdata of a small blog with users, groups and permissions (tests/django/fixtures.test.js).

Run: /usr/bin/python3 tests/django/record/fixtures.py
-> tests/django/data/fixtures/django-plain.json    (dumpdata blog auth.user auth.group: pks everywhere)
-> tests/django/data/fixtures/django-natural.json  (--natural-foreign --natural-primary: users by username,
                                                     permissions by [codename, app_label, model])
The blog app is djblog/models.py; manouche's test declares the same models.
"""
import datetime
import decimal
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

_django.setup(
    INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes', 'djblog.apps.BlogConfig'],
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}},
    TIME_ZONE='UTC',
)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command('migrate', run_syncdb=True, verbosity=0)
from djblog.models import Comment, Post, Tag  # noqa: E402

when = datetime.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.timezone.utc)
alice = User.objects.create(username='alice', email='alice@example.com', first_name='Alice', last_name='Liddell',
                            is_staff=True, is_superuser=True, password=make_password('correct horse battery', 'Salt0abcdefghijklmnop'),
                            date_joined=when, last_login=when)
bob = User.objects.create(username='bob', email='bob@example.com', password='!unusable', date_joined=when)
editors = Group.objects.create(name='editors')
editors.permissions.set([Permission.objects.get(codename='change_post'), Permission.objects.get(codename='view_post')])
bob.groups.add(editors)
bob.user_permissions.add(Permission.objects.get(codename='add_tag'))
django_tag, node_tag = Tag.objects.create(name='django'), Tag.objects.create(name='node')
first = Post.objects.create(title='Hello', body='First post', rating=decimal.Decimal('4.50'), pub_date=datetime.date(2024, 3, 1),
                            published=True, author=alice)
first.tags.set([django_tag, node_tag])
second = Post.objects.create(title='Draft', rating=None, author=None)
second.tags.set([node_tag])
Comment.objects.create(post=first, body='Nice!')

out = os.path.join(_django.DATA, 'fixtures')
os.makedirs(out, exist_ok=True)
for name, flags in (('django-plain.json', []), ('django-natural.json', ['--natural-foreign', '--natural-primary'])):
    buf = io.StringIO()
    call_command('dumpdata', 'auth.group', 'auth.user', 'blog', '--indent', '1', *flags, stdout=buf)
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.write(buf.getvalue() + '\n')
    print('wrote', name, file=sys.stderr)
