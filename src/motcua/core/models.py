"""No models: this module exists so that `migrate` signals post_migrate for motcua.core (apps.py creates the
shared cache table then)."""
