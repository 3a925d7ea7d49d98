"""Vietnamese first: pages are in Vietnamese unless the person chose English with the language switch
(Django's set_language cookie). The browser's Accept-Language is not consulted: a public service in
Vietnam speaks Vietnamese by default, whatever language a borrowed or kiosk browser is set to."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
