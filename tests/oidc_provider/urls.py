from django.contrib.auth import get_user_model, login
from django.http import HttpResponse
from django.urls import include, path


def login_as(request, username):
    """Stands for the identity app's own sign-in screen (the user proves who they are to the provider)."""
    user = get_user_model().objects.get(username=username)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponse("ok")


urlpatterns = [
    path("login-as/<str:username>/", login_as),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
