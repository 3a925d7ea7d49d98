"""Changes to the catalogue that go through one function each (permission, inspection, one transaction)."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.core.errors import NotAllowed, NotFound

from .models import Component


@transaction.atomic
def set_blank_form(actor, component_id, filename, content):
    """Attach the blank form (mẫu đơn, tờ khai) of a component: inspected as every upload is (type by content,
    no active content, virus scan); replaces the previous one. Province administrators only."""
    from motcua.dossiers.uploads import inspect
    if actor is None or not actor.has_role(Role.ADMINISTRATOR):
        raise NotAllowed(_("Chỉ quản trị viên được thay mẫu đơn của thủ tục."), code="forbidden")
    comp = Component.objects.select_for_update().filter(pk=component_id).first()
    if comp is None:
        raise NotFound(_("Không tìm thấy thành phần hồ sơ."), code="not_found")
    result = inspect(filename, content)
    old = comp.template_file.name if comp.template_file else ""
    comp.template_file.save(result.filename, ContentFile(content), save=False)
    comp.template_filename, comp.template_content_type, comp.template_sha256 = (
        result.filename, result.content_type, result.sha256)
    comp.save(update_fields=["template_file", "template_filename", "template_content_type", "template_sha256"])
    if old and old != comp.template_file.name:
        storage = comp.template_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return comp
