"""Motcua: one-stop-shop (một cửa) and online public service platform."""
__version__ = "0.1.0"
