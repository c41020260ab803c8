"""Prints the expected bytes for PilGoldenTest.java, computed with Pillow itself.

Run with a Python that has Pillow (Debian's python3-pil 9.4.0 was used):
    python3 src-test/model/pil/pil_golden.py > /tmp/golden.txt
Each case: a synthetic image (same formula as the Java test), the reference's preprocessing
(box halving while the short side >= 2*size, bicubic to the short side, centre crop), then
convert("RGB") or convert("L"); the result is printed channels-first as hex.
"""
from PIL import Image


def value(x, y, c):
    return (x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256


def make(mode, w, h):
    if mode == "P":
        im = Image.new("P", (w, h))
        pal = []
        for i in range(256):
            pal += [i * 7 % 256, i * 13 % 256, i * 29 % 256]
        im.putpalette(pal)
        im.putdata([value(x, y, 0) for y in range(h) for x in range(w)])
        return im
    bands = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "CMYK": 4}[mode]
    data = bytes(value(x, y, c) for y in range(h) for x in range(w) for c in range(bands))
    return Image.frombytes(mode, (w, h), data)


def preprocess(im, size, out_mode):
    while min(*im.size) >= 2 * size:
        im = im.resize(tuple(x // 2 for x in im.size), resample=Image.BOX)
    scale = size / min(*im.size)
    im = im.resize(tuple(round(x * scale) for x in im.size), resample=Image.BICUBIC)
    im = im.convert(out_mode)
    w, h = im.size
    cy, cx = (h - size) // 2, (w - size) // 2
    im = im.crop((cx, cy, cx + size, cy + size))
    bands = len(out_mode)
    raw = im.tobytes()
    chw = bytes(raw[(p * bands) + c] for c in range(bands) for p in range(size * size))
    return chw


CASES = [
    ("RGB", 91, 67, 16, "RGB"),
    ("RGB", 10, 7, 16, "RGB"),
    ("RGB", 50, 40, 16, "RGB"),
    ("L", 77, 120, 12, "RGB"),
    ("RGBA", 45, 38, 16, "RGB"),
    ("LA", 33, 35, 12, "RGB"),
    ("P", 60, 45, 16, "RGB"),
    ("RGB", 130, 97, 16, "L"),
    ("CMYK", 41, 29, 12, "RGB"),
]

for mode, w, h, size, out in CASES:
    print(f'{{"{mode}", "{w}", "{h}", "{size}", "{out}", "{preprocess(make(mode, w, h), size, out).hex()}"}},')
