"""Small scans made on the fly: a Vietnamese form line set drawn with DejaVu Sans, as PNG or PDF."""
import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
VIETNAMESE = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY TIẾP NHẬN HỒ SƠ",
              "Họ tên người nộp: Nguyễn Văn An", "Địa chỉ: phường Hải Châu, thành phố Đà Nẵng"]
RUSSIAN = ["Заявление о выдаче разрешения на строительство", "Фамилия, имя: Иванов Пётр Сергеевич",
           "Адрес: город Москва, улица Ленина"]


def page(lines=VIETNAMESE, *, width=1654, height=None, size=40):
    height = height or 200 + 80 * len(lines)
    im = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, size)
    for i, line in enumerate(lines):
        draw.text((100, 100 + i * 80), line, font=font, fill=0)
    return im


def png(im, dpi=200):
    buf = io.BytesIO()
    im.save(buf, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


def pdf_of(*images, dpi=200):
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=list(images[1:]))
    return buf.getvalue()


def blank_pdf(pages):
    import pikepdf
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def encrypted(data, user="mat-khau", owner="chu-so-huu"):
    import pikepdf
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(buf, encryption=pikepdf.Encryption(user=user, owner=owner))
    return buf.getvalue()


def png_bomb(width=100_000, height=100_000):
    """A PNG whose header claims width x height pixels (10 G): never decodable, refused from the header."""
    import struct
    import zlib
    raw = zlib.compress(b"\x00" + b"\xff" * 16)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
