"""The citizen's "Kho dữ liệu của tôi": their own digitised documents (owner = the account's verified CCCD)."""
from django.shortcuts import render

from motcua.dossiers.uploads import file_response
from motcua.portal.web import citizen_required

from . import services


@citizen_required
def my_store(request):
    owner = services.verified_owner(request.user)
    return render(request, "datastore/my_store.html",
                  {"documents": services.my_documents(request.user), "verified": bool(owner)})


@citizen_required
def my_file(request, pk):
    doc = services.my_document(request.user, pk)     # 404 unless it is the account's own document
    if doc.attachment is None:
        from django.http import Http404
        raise Http404
    return file_response(doc.attachment)
