from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province and the commands that load and serve it. It stands above every other app (it is
    the only app that imports them all); each app keeps its own demo data next to it, in `<app>/demo.py`."""
    name = "motcua.demo"
    label = "demo"
    verbose_name = "Tỉnh demo"
