"""Each app's own demo data: a function `seed_demo(tree, now, rng)` in the app's `demo` module, run by
`motcua seed` after the base province (agencies, catalogue, staff, dossiers), in INSTALLED_APPS order."""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def app_seeders():
    """(app label, seed_demo) for every installed app whose `demo` module defines `seed_demo`."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if not config.name.startswith("motcua.") or find_spec(name) is None:
            continue
        seed = getattr(import_module(name), "seed_demo", None)
        if seed is not None:
            found.append((config.label, seed))
    return found
