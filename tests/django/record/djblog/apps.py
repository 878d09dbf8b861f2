from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = 'djblog'
    label = 'blog'
    default_auto_field = 'django.db.models.AutoField'
