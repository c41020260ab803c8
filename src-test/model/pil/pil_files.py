"""Makes small image files of many kinds and the bytes Pillow's reference preprocessing gives for them.

    python3 src-test/model/pil/pil_files.py   (needs Pillow; Debian's python3-pil 9.4.0 was used)

Writes files/<name> and files/expected.txt ("name size hex" per line, channels-first RGB at the
given size). PilFilesTest decodes the same files with ImageIO and must get the same bytes, which
checks decoding (JPEG, GIF, palette, 16-bit, tRNS, CMYK) as well as resampling.
"""
import os
import struct
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")


def f(x, y, c):
    return (x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256


def smooth(x, y, c):
    return int(128 + 100 * ((x * (c + 1) + y * 2) % 50) / 50.0 - 50 * ((x + y * (c + 2)) % 7) / 7.0)


def image(mode, w, h, fn=f):
    bands = len(mode) if mode != "1" else 1
    data = bytes(fn(x, y, c) for y in range(h) for x in range(w) for c in range(bands))
    return Image.frombytes(mode, (w, h), data)


def png(name, w, h, depth, ctype, rows, extra=()):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0))
    for t, d in extra:
        data += chunk(t, d)
    data += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)


def make_all():
    os.makedirs(OUT, exist_ok=True)
    image("RGB", 90, 70, smooth).save(os.path.join(OUT, "photo.jpg"), quality=90)
    image("RGB", 90, 70, smooth).save(os.path.join(OUT, "progressive.jpg"), quality=85, progressive=True)
    image("RGB", 90, 70, smooth).save(os.path.join(OUT, "photo444.jpg"), quality=95, subsampling=0)
    image("L", 80, 66, smooth).save(os.path.join(OUT, "gray.jpg"), quality=90)
    image("CMYK", 70, 50, smooth).save(os.path.join(OUT, "cmyk.jpg"), quality=95)
    image("RGBA", 45, 38).save(os.path.join(OUT, "rgba.png"))
    image("LA", 33, 35).save(os.path.join(OUT, "la.png"))
    image("L", 77, 120).save(os.path.join(OUT, "l.png"))
    image("1", 50, 40).save(os.path.join(OUT, "bilevel.png"))
    p = image("P", 60, 45)
    p.putpalette([v for i in range(256) for v in (i * 7 % 256, i * 13 % 256, i * 29 % 256)])
    p.save(os.path.join(OUT, "palette.png"))
    p.save(os.path.join(OUT, "palette.gif"))
    image("L", 50, 40).save(os.path.join(OUT, "grayramp.gif"))
    image("RGB", 70, 50).save(os.path.join(OUT, "trns_rgb.png"), transparency=(f(3, 4, 0), f(3, 4, 1), f(3, 4, 2)))
    image("L", 70, 50).save(os.path.join(OUT, "trns_l.png"), transparency=f(5, 5, 0))
    for bits in (2, 4):
        rows = b""
        for y in range(30):
            s = "".join(format((x * 3 + y) % (1 << bits), "0%db" % bits) for x in range(40))
            s += "0" * (-len(s) % 8)
            rows += b"\0" + int(s, 2).to_bytes(len(s) // 8, "big")
        png("gray%dbit.png" % bits, 40, 30, bits, 0, rows)
    rows = b"".join(b"\0" + b"".join(struct.pack(">HHH", (x * 900) % 65536, (y * 1200) % 65536, (x * y * 37) % 65536)
                                        for x in range(70)) for y in range(50))
    png("rgb16.png", 70, 50, 16, 2, rows)


def preprocess(path, size):
    im = Image.open(path)
    im.load()
    while min(*im.size) >= 2 * size:
        im = im.resize(tuple(x // 2 for x in im.size), resample=Image.BOX)
    scale = size / min(*im.size)
    im = im.resize(tuple(round(x * scale) for x in im.size), resample=Image.BICUBIC)
    im = im.convert("RGB")
    w, h = im.size
    cy, cx = (h - size) // 2, (w - size) // 2
    raw = im.crop((cx, cy, cx + size, cy + size)).tobytes()
    return bytes(raw[p * 3 + c] for c in range(3) for p in range(size * size)), Image.open(path).mode


if __name__ == "__main__":
    make_all()
    lines = []
    for name in sorted(os.listdir(OUT)):
        if name == "expected.txt":
            continue
        for size in (16,):
            data, mode = preprocess(os.path.join(OUT, name), size)
            lines.append("%s %s %d %s" % (name, mode, size, data.hex()))
    with open(os.path.join(OUT, "expected.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print(len(lines), "cases")
