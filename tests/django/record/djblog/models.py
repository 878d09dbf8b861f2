"""The Django side of the fixtures crossover: the same blog as tests/django/fixtures.test.js declares in manouche."""
from django.conf import settings
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = 'blog'


class Post(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(default='')
    rating = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    pub_date = models.DateField(null=True)
    published = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    tags = models.ManyToManyField(Tag, blank=True)

    class Meta:
        app_label = 'blog'


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    body = models.CharField(max_length=200)

    class Meta:
        app_label = 'blog'
