"""Visible signature appearances following Decree 30/2020 (Appendix I).

Two looks:
- `SignatureBlock`: the signer's block at the foot of a document: the authority prefix and title
  ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"), the person's signature image between the title and the name, the
  agency seal image overlapping about a third of the signature image on its left, then the name.
- `CopyStamp`: on copies, digitised copies and attachments, the agency's signature sits at the top right
  of page 1 with the agency, the number/symbol and the signing time in ISO 8601 with +07:00.

Text is typeset with an embedded TrueType font (DejaVu Sans by default) so Vietnamese renders and can be
extracted again (pdftotext gives the same text back).
"""
import functools
import io
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from motcua.worktime import TZ

FONT_CANDIDATES = [
    # Debian's fonts-dejavu-core
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def _pip_font():
    """DejaVu Sans Mono shipped inside the python-barcode package (a pyHanko dependency): a fallback that
    covers Vietnamese when the Debian font is not installed."""
    try:
        import barcode
    except ImportError:  # pragma: no cover
        return None
    path = Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf"
    return (str(path), str(path)) if path.exists() else None


def default_fonts():
    """(regular, bold) TrueType paths: MOTCUA_SIGNING_FONT[,BOLD] from the environment, Debian's DejaVu Sans,
    or the DejaVu Sans Mono that a pip package ships."""
    env = os.environ.get("MOTCUA_SIGNING_FONT", "")
    if env:
        parts = env.split(",")
        return parts[0], (parts[1] if len(parts) > 1 else parts[0])
    for regular, bold in FONT_CANDIDATES:
        if os.path.exists(regular):
            return regular, (bold if os.path.exists(bold) else regular)
    found = _pip_font()
    if found:
        return found
    raise RuntimeError("No TrueType font with Vietnamese glyphs found; install fonts-dejavu-core "
                       "or set MOTCUA_SIGNING_FONT")


def iso_local(moment: datetime) -> str:
    """ISO 8601 in Vietnamese time, seconds precision: 2026-06-01T08:00:00+07:00."""
    return moment.astimezone(TZ).replace(microsecond=0).isoformat()


def _image(data):
    from PIL import Image
    if data is None:
        return None
    if isinstance(data, (bytes, bytearray, memoryview)):
        img = Image.open(io.BytesIO(bytes(data)))
    else:
        img = Image.open(data)
    img.load()
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA")
    return img


@dataclass
class SignatureBlock:
    """The signer's block (bottom right of the last page unless `page`/`box` say otherwise)."""
    title_lines: list = field(default_factory=list)     # ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    name: str = ""
    signature_image: bytes | None = None
    seal_image: bytes | None = None
    note: str = ""                                      # small line under the name, e.g. the signing time
    page: int = -1                                      # -1: last page
    box: tuple | None = None                            # (x1, y1, x2, y2) in points; default bottom right
    width: float = 210
    height: float = 150
    font_size: int = 9
    field_name: str = ""

    kind = "block"


@dataclass
class CopyStamp:
    """Agency signature on copies: top right of page 1 with agency, number/symbol and ISO 8601 time."""
    agency: str = ""
    number_symbol: str = ""
    label: str = "Bản sao điện tử"
    seal_image: bytes | None = None
    page: int = 0
    box: tuple | None = None
    width: float = 240
    height: float = 64
    margin: float = 18
    font_size: int = 8
    field_name: str = ""

    kind = "copy"


@dataclass
class SealImprint:
    """The agency's signature on a document another person signed (Decree 30, Appendix I): only the seal
    image, placed over the left third of the person's signature image (see `seal_box`)."""
    seal_image: bytes | None = None
    agency: str = ""                                    # drawn as text when there is no seal image
    page: int = -1
    box: tuple | None = None
    field_name: str = ""

    kind = "seal"


@dataclass
class Initials:
    """A specialist's initials (ký nháy) beside the signer's title: a small mark with the short name."""
    text: str = ""                                      # "NVA" or the name
    note: str = ""                                      # e.g. the signing time
    signature_image: bytes | None = None
    page: int = -1
    box: tuple | None = None
    width: float = 64
    height: float = 34
    font_size: int = 6
    field_name: str = ""

    kind = "initials"


def block_geometry(width, height, *, title_lines=2, note=True, font_size=9):
    """Where a `SignatureBlock` of the given size draws its parts, relative to its lower left corner:
    title lines at the top (room for at least two), the name and the note at the bottom, and between
    them the band of the signature image; the seal covers the left third of that image."""
    lh = font_size * 1.35
    title_bottom = height - lh * max(title_lines, 2)
    note_h = lh * 0.85 if note else 0
    band_bottom = note_h + lh + 2
    band_h = max(title_bottom - 2 - band_bottom, 10)
    sig_w = width * 0.55
    sig_x = (width - sig_w) / 2 + width * 0.08
    seal = band_h
    return {"line": lh, "title_bottom": title_bottom, "note_h": note_h, "name_y": note_h,
            "signature": (sig_x, band_bottom, sig_x + sig_w, band_bottom + band_h),
            "seal": (sig_x + sig_w / 3 - seal, band_bottom, sig_x + sig_w / 3, band_bottom + seal)}


def seal_box(person_box, **kw):
    """The seal's field box in page coordinates, over the left third of the person's signature image in
    the signature block drawn in `person_box`."""
    x1, y1, x2, y2 = person_box
    sx1, sy1, sx2, sy2 = block_geometry(x2 - x1, y2 - y1, **kw)["seal"]
    return (x1 + sx1, y1 + sy1, x1 + sx2, y1 + sy2)


def initials_box(person_box, look=None, **kw):
    """Beside the signer's title: left of the signature block, level with its title lines."""
    look = look or Initials()
    x1, y1, x2, y2 = person_box
    return (x1 - 4 - look.width, y2 - look.height, x1 - 4, y2)


def place(appearance, page_width, page_height):
    """The field box for an appearance on a page of the given size."""
    if appearance.box:
        return tuple(appearance.box)
    if appearance.kind == "seal":
        return seal_box(place(SignatureBlock(), page_width, page_height))
    if appearance.kind == "initials":
        return initials_box(place(SignatureBlock(), page_width, page_height), appearance)
    if appearance.kind == "copy":
        m = appearance.margin
        return (page_width - m - appearance.width, page_height - m - appearance.height,
                page_width - m, page_height - m)
    # bottom right, above a 2 cm margin: where a Decree 30 document puts the signature
    right = page_width - 57
    bottom = 57
    return (right - appearance.width, bottom, right, bottom + appearance.height)


@dataclass(frozen=True)
class Decree30StampStyle(BaseStampStyle):
    """A pyHanko stamp style that draws a `SignatureBlock` or a `CopyStamp`."""
    appearance: object = None
    signing_time: datetime | None = None
    fonts: tuple = ()
    border_width: int = 0

    def create_stamp(self, writer, box, text_params):
        return Decree30Stamp(writer=writer, style=self, box=box)


# Latin, Vietnamese (Latin Extended Additional), combining marks, punctuation, currency, a few symbols
VIETNAMESE_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00),
                       *range(0x2000, 0x2070), *range(0x20A0, 0x20C0), 0x2116, 0x2122, 0x25CF]


@functools.lru_cache(maxsize=8)
def vietnamese_subset(path):
    """The font cut down once per process to the characters Vietnamese documents use (DejaVu Sans has ~6,000
    glyphs; parsing and subsetting all of it for every signature cost about a second)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    font = TTFont(path)
    options = subset.Options()
    # text is NFC (precomposed Vietnamese letters), so no shaping tables are needed: dropping GSUB/GPOS
    # saves fontTools decompiling them again for every signature
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=VIETNAMESE_UNICODES)
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _Em1000Accumulator(GlyphAccumulator):
    """pyHanko's glyph accumulator writes /W widths and TJ adjustments in the font's own units; PDF wants
    1/1000 em. For fonts with 1000 units per em (most CFF fonts) that is the same, but DejaVu has 2048, which
    doubled every advance. Scale HarfBuzz and the widths to 1000 units per em."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._upem_factor = 1000 / self.units_per_em
        self.hb_font.scale = (1000, 1000)
        self.units_per_em = 1000

    def _get_cid_and_width(self, glyph_id):
        cached = self._glyphs.get(glyph_id)
        if cached is not None:
            return cached
        cid, width = super()._get_cid_and_width(glyph_id)
        self._glyphs[glyph_id] = result = (cid, round(width * self._upem_factor))
        return result


class _SharedFont:
    """A font factory handing every text box of one stamp the same glyph accumulator, so each font is
    parsed and subset once per signature instead of once per line."""

    def __init__(self, stamp, path):
        self.stamp, self.path = stamp, path

    def create_font_engine(self, writer, obj_stream=None):
        engines = self.stamp._engines
        if self.path not in engines:
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            engines[self.path] = _Em1000Accumulator(writer=writer, font_handle=io.BytesIO(vietnamese_subset(self.path)),
                                                    font_size=10, obj_stream=obj_stream)
        return engines[self.path]


class Decree30Stamp(BaseStamp):
    def __init__(self, writer, style, box):
        super().__init__(writer=writer, style=style, box=box)
        self._n = 0
        self._engines = {}

    # ---- helpers: each text line is its own box with its own font resource name
    def _line(self, text, x, y, width, height, *, bold=False, size=9, color=None, align="mid"):
        regular, bold_path = self.style.fonts
        path = bold_path if bold else regular
        style = TextBoxStyle(
            font=_SharedFont(self, path),
            font_size=size,
            text_color=color,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID if align == "mid" else layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins(0, 0, 0, 0),
                inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
        )
        tb = TextBox(style, writer=self.writer, resources=self.resources,
                     box=layout.BoxConstraints(width=width, height=height),
                     font_name="FB" if bold else "FR")
        tb.content = unicodedata.normalize("NFC", text or "")
        return b"q 1 0 0 1 %g %g cm %s Q" % (x, y, tb.render())

    def _picture(self, data, x, y, w, h):
        img = _image(data)
        if img is None:
            return b""
        # keep the aspect ratio inside (w, h), centred
        ratio = min(w / img.width, h / img.height)
        dw, dh = img.width * ratio, img.height * ratio
        self._n += 1
        pic = PdfImage(img, writer=self.writer, name=f"I{self._n}", box=layout.BoxConstraints(width=dw, height=dh))
        cmd = pic.render()
        self.import_resources(pic.resources)
        return b"q 1 0 0 1 %g %g cm %s Q" % (x + (w - dw) / 2, y + (h - dh) / 2, cmd)

    def _render_inner_content(self):
        a = self.style.appearance
        if a.kind == "copy":
            return self._render_copy(a)
        if a.kind == "seal":
            return self._render_seal(a)
        if a.kind == "initials":
            return self._render_initials(a)
        return self._render_block(a)

    def _render_block(self, a):
        W, H = self.box.width, self.box.height
        size = a.font_size
        g = block_geometry(W, H, title_lines=len(a.title_lines), note=bool(a.note), font_size=size)
        lh = g["line"]
        out = [b"q"]
        y = H
        for line in a.title_lines:
            y -= lh
            out.append(self._line(line, 0, y, W, lh, bold=True, size=size))
        out.append(self._line(a.name, 0, g["name_y"], W, lh, bold=True, size=size))
        if a.note:
            out.append(self._line(a.note, 0, 0, W, g["note_h"], size=max(size - 2, 5), color=(0.15, 0.15, 0.4)))
        # the picture band between title and name
        x1, y1, x2, y2 = g["signature"]
        if a.signature_image:
            out.append(self._picture(a.signature_image, x1, y1, x2 - x1, y2 - y1))
        if a.seal_image:
            # the seal covers about a third of the signature on its left (Decree 30, Appendix I)
            x1, y1, x2, y2 = g["seal"]
            out.append(self._picture(a.seal_image, x1, y1, x2 - x1, y2 - y1))
        out.append(b"Q")
        return out

    def _render_seal(self, a):
        W, H = self.box.width, self.box.height
        if a.seal_image:
            return [b"q", self._picture(a.seal_image, 0, 0, W, H), b"Q"]
        # no image: a red ring with the agency's name, so the seal step is still visible
        red = (0.75, 0.05, 0.05)
        k = 0.5523
        r = min(W, H) / 2 - 1
        cx, cy = W / 2, H / 2
        ring = (b"q 0.75 0.05 0.05 RG 1.2 w %g %g m %g %g %g %g %g %g c %g %g %g %g %g %g c "
                b"%g %g %g %g %g %g c %g %g %g %g %g %g c S Q" % (
                    cx + r, cy, cx + r, cy + k * r, cx + k * r, cy + r, cx, cy + r,
                    cx - k * r, cy + r, cx - r, cy + k * r, cx - r, cy,
                    cx - r, cy - k * r, cx - k * r, cy - r, cx, cy - r,
                    cx + k * r, cy - r, cx + r, cy - k * r, cx + r, cy))
        return [b"q", ring, self._line(a.agency, W * 0.15, H * 0.4, W * 0.7, H * 0.2, bold=True, size=6,
                                       color=red), b"Q"]

    def _render_initials(self, a):
        W, H = self.box.width, self.box.height
        out = [b"q"]
        note_h = H * 0.3 if a.note else 0
        if a.signature_image:
            out.append(self._picture(a.signature_image, 0, note_h + H * 0.3, W, H * 0.4))
        out.append(self._line(a.text, 0, note_h, W, H * 0.3, size=a.font_size + 1, color=(0.1, 0.15, 0.5)))
        if a.note:
            out.append(self._line(a.note, 0, 0, W, note_h, size=max(a.font_size - 2, 4), color=(0.15, 0.15, 0.4)))
        out.append(b"Q")
        return out

    def _render_copy(self, a):
        W, H = self.box.width, self.box.height
        size = a.font_size
        red = (0.75, 0.05, 0.05)
        out = [b"q 0.75 0.05 0.05 RG 0.8 w 0.5 0.5 %g %g re S" % (W - 1, H - 1)]
        seal_w = 0
        if a.seal_image:
            seal_w = H - 6
            out.append(self._picture(a.seal_image, 3, 3, seal_w, seal_w))
        x = seal_w + 6
        tw = W - x - 3
        when = iso_local(self.style.signing_time)
        lines = [(a.label.upper(), True), (a.agency, True), (f"Số: {a.number_symbol}", False),
                 (f"Thời gian ký: {when}", False)]
        lh = (H - 6) / len(lines)
        y = H - 3
        for text, bold in lines:
            y -= lh
            out.append(self._line(text, x, y, tw, lh, bold=bold, size=size, color=red, align="min"))
        out.append(b"Q")
        return out
