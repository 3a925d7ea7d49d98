from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "motcua.datastore"
    label = "datastore"
    verbose_name = "Kho dữ liệu số hóa của tổ chức, cá nhân"
