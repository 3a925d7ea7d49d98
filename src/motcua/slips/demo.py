"""Demo data for the official forms: the place name printed on the date line (Decree 30) and the blank forms
offered on procedure pages. Called once by `motcua seed` after the province, catalogue and staff exist."""


def seed_demo(tree):
    from motcua.catalog.demo import seed_demo as blank_forms
    root = tree["root"]
    root.place_name = "Hòa Bình"
    root.save(update_fields=["place_name"])
    return blank_forms()
