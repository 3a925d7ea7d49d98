"""Pages (not the API, which has its own handler) show a DomainError as a page with its Vietnamese
message and the right status: 404 for not found / out of scope, 403 for a missing role, else 4xx."""
from django.shortcuts import render

from motcua.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(request, "error.html", {"message": exception.message, "status": exception.status_code},
                      status=exception.status_code)
