from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from motcua.agencies import api as agencies_api
from motcua.catalog import api as catalog_api
from motcua.documents.exchange_api import ExchangeInbox
from motcua.dossiers import api as dossiers_api
from motcua.search import api as search_api
from motcua.signing import demopki

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("me/", agencies_api.Me.as_view()),
    path("agencies/", agencies_api.AgencyList.as_view()),
    path("calendar/due/", agencies_api.CalendarDue.as_view()),
    path("procedures/", catalog_api.ProcedureList.as_view()),
    path("procedures/excel/", catalog_api.CatalogExcel.as_view()),
    path("procedures/<str:code>/", catalog_api.ProcedureDetail.as_view()),
    path("dossiers/", dossiers_api.DossierListCreate.as_view()),
    path("dossiers/<str:code>/", dossiers_api.DossierDetail.as_view()),
    path("dossiers/<str:code>/history/", dossiers_api.DossierHistory.as_view()),
    path("dossiers/<str:code>/actions/<str:action>/", dossiers_api.DossierAction.as_view()),
    path("public/lookup/", dossiers_api.PublicLookup.as_view()),
    path("search/", search_api.Search.as_view()),
    path("indicators/", include("motcua.indicators.urls")),
    path("signing/", include("motcua.signing.urls")),
    path("documents/", include("motcua.documents.urls")),
    path("integrations/", include("motcua.integrations.urls")),
    path("payments/", include("motcua.integrations.payments.api_urls")),
    path("ocr/", include("motcua.ocr.urls")),
    path("exchange/edxml/", ExchangeInbox.as_view()),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("chi-so/", include("motcua.indicators.page_urls")),
    path("can-bo/ky-so/", include("motcua.signing.office")),
    path("can-bo/van-ban/", include("motcua.documents.office")),
    path("can-bo/so-hoa/", include("motcua.ocr.office")),
    path("can-bo/tim-kiem/", include("motcua.search.office")),
    path("can-bo/dong-bo/", include("motcua.integrations.page_urls")),
    path("can-bo/doi-soat-thanh-toan/", include("motcua.integrations.payments.office_urls")),
    path("can-bo/thong-bao/", include("motcua.integrations.notifications.page_urls")),
    path("can-bo/", include("motcua.office.urls")),
    path("thanh-toan/", include("motcua.integrations.payments.urls")),
    path("xac-thuc-chu-ky/", include("motcua.signing.web")),
    path("demo-pki/", include(demopki.urls())),   # answers only when MOTCUA_SIGNING_DEMO_PKI is set
    path("kho-du-lieu/", include("motcua.datastore.urls")),
    path("", include("motcua.citizens.urls")),
    path("", include("motcua.portal.urls")),
]

handler400 = "motcua.core.handlers.bad_request"
handler403 = "motcua.core.handlers.permission_denied"
handler404 = "motcua.core.handlers.page_not_found"
handler500 = "motcua.core.handlers.server_error"
