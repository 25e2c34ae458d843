"""Compares two PNG screenshots pixel by pixel, within a tolerance (used by
scripts/e2e/report-html.sh). Standard library only: a small PNG decoder for what Chromium
writes (8-bit RGB or RGBA, not interlaced).

    python3 png_compare.py ACTUAL EXPECTED [--max-differing 0.005] [--channel-tolerance 48]
    python3 png_compare.py --not-blank IMAGE

A pixel differs when one of its R, G, B channels differs by more than the channel
tolerance (anti-aliasing and font hinting move a few levels; missing or moved content
moves whole glyphs and boxes). Exit 1 when the images differ in size, when more than
--max-differing of the pixels differ, or when either image is almost blank (under 2% of
its pixels darker than light grey); the figures are printed either way.
"""
import struct
import sys
import zlib


def decode(path):
    """(width, height, rows): rows are bytes objects of R, G, B per pixel."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    position, idat, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace != 0:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA non-interlaced PNG is supported")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif kind != 0:
            raise ValueError(f"{path}: unknown PNG filter {kind}")
        previous = line
        if bpp == 4:
            rgb = bytearray(width * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[0::4], line[1::4], line[2::4]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return width, height, rows


def ink(rows):
    """Share of pixels that are not near-white."""
    dark = total = 0
    for row in rows:
        total += len(row) // 3
        dark += sum(1 for i in range(0, len(row), 3) if min(row[i], row[i + 1], row[i + 2]) < 200)
    return dark / max(total, 1)


def main(arguments):
    if arguments[0] == "--not-blank":
        share = ink(decode(arguments[1])[2])
        print(f"{arguments[1]}: ink {share:.2%}")
        return 0 if share >= 0.02 else 1
    actual_path, expected_path = arguments[0], arguments[1]
    options = dict(zip(arguments[2::2], arguments[3::2]))
    max_differing = float(options.get("--max-differing", "0.005"))
    tolerance = int(options.get("--channel-tolerance", "48"))
    actual, expected = decode(actual_path), decode(expected_path)
    if actual[:2] != expected[:2]:
        print(f"{actual_path} is {actual[0]}x{actual[1]}, {expected_path} is {expected[0]}x{expected[1]}")
        return 1
    width, height = actual[:2]
    differing = 0
    for row_a, row_e in zip(actual[2], expected[2]):
        if row_a == row_e:
            continue
        for i in range(0, len(row_a), 3):
            if (abs(row_a[i] - row_e[i]) > tolerance or abs(row_a[i + 1] - row_e[i + 1]) > tolerance
                    or abs(row_a[i + 2] - row_e[i + 2]) > tolerance):
                differing += 1
    share = differing / (width * height)
    ink_actual, ink_expected = ink(actual[2]), ink(expected[2])
    print(f"{width}x{height}: {differing} pixels differ ({share:.4%}, allowed {max_differing:.2%}); "
          f"ink {ink_actual:.2%} vs {ink_expected:.2%}")
    if min(ink_actual, ink_expected) < 0.02:
        print("an image is almost blank")
        return 1
    return 0 if share <= max_differing else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
