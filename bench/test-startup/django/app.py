# The characters API of "A Django REST API in a Single File" (Django 3.x, no database), the peer of
# demo/characters/app.js in bench/test-startup.js. Run: python3 app.py test
import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils.crypto import get_random_string

settings.configure(
    DEBUG=os.environ.get("DEBUG", "") == "1",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY=get_random_string(50),
)

CHARACTERS = {1: ("Rick Sanchez", 70), 2: ("Morty Smith", 14)}


def as_dict(id_):
    name, age = CHARACTERS[id_]
    return {"id": id_, "name": name, "age": age}


def index(request):
    return HttpResponseRedirect("/characters/")


def characters_list(request):
    return JsonResponse({"data": [as_dict(id_) for id_ in CHARACTERS]})


def characters_detail(request, character_id):
    if character_id not in CHARACTERS:
        return JsonResponse({"error": f"Character with id {character_id!r} does not exist."}, status=404)
    return JsonResponse({"data": as_dict(character_id)})


urlpatterns = [
    path("", index),
    path("characters/", characters_list),
    path("characters/<int:character_id>/", characters_detail),
]

app = get_wsgi_application()

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
