#!/usr/bin/env python3
"""Writes ne_50m_coastline.bin, the basemap of the report's map, from a Natural Earth GeoJSON.

Usage: python3 coastline.py ne_50m_coastline.geojson ne_50m_coastline.bin

Format (little-endian), read by crates/report/src/basemap.rs:
  8 bytes  magic b"NECOAST1"
  u32      number of lines
  per line: u32 number of points, then per point i32 longitude and i32 latitude in units of
            1e-5 degree (rounded to nearest).
Each LineString is one line; each part of a MultiLineString is one line; order is the file's.
"""

import json
import struct
import sys

SCALE = 1e5


def lines(doc):
    for feature in doc["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "LineString":
            yield geometry["coordinates"]
        elif geometry["type"] == "MultiLineString":
            yield from geometry["coordinates"]
        else:
            raise SystemExit(f"unexpected geometry type {geometry['type']}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    parts = [line for line in lines(doc) if len(line) >= 2]
    out = bytearray(b"NECOAST1")
    out += struct.pack("<I", len(parts))
    for line in parts:
        out += struct.pack("<I", len(line))
        for lon, lat, *_ in line:
            out += struct.pack("<ii", round(lon * SCALE), round(lat * SCALE))
    with open(sys.argv[2], "wb") as f:
        f.write(out)
    print(f"{len(parts)} lines, {sum(map(len, parts))} points, {len(out)} bytes")


if __name__ == "__main__":
    main()
