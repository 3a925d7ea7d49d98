"""One font for every PDF Motcua prints: Liberation Serif 2 (SIL OFL 1.1, src/motcua/core/fonts/), metric-compatible
with Times New Roman (the font Decree 30 asks for) and covering every Vietnamese letter, bundled so that no glyph
ever falls back to another face ("NGƯỜI" and "SƠ" stay whole) whatever fonts the machine has."""
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Motcua Serif"
FACES = (("Regular", "normal", "normal"), ("Bold", "bold", "normal"), ("Italic", "normal", "italic"),
         ("BoldItalic", "bold", "italic"))


def font_face_css():
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{(FONT_DIR / f"LiberationSerif-{name}.ttf").as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FACES)
