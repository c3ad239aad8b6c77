#!/usr/bin/env python3
"""Packs the Natural Earth layers embedded in skyshield (see README.md for their sources).

Usage (from the repository's root):
  python3 crates/physics/data/natural_earth.py lines ne_50m_coastline.json crates/physics/data/ne_50m_coastline.bin
  python3 crates/physics/data/natural_earth.py lines ne_50m_admin_0_boundary_lines_land.json crates/physics/data/ne_50m_borders.bin
  python3 crates/physics/data/natural_earth.py rings ne_50m_land.json crates/physics/data/ne_50m_land.bin
  python3 crates/physics/data/natural_earth.py places ne_10m_populated_places_simple.json crates/report/data/ne_10m_places.tsv

`lines` format (little-endian), read by crates/physics/src/geography.rs:
  8 bytes  magic b"NELINES1"
  u32      number of lines
  per line: u32 number of points, then per point i32 longitude and i32 latitude in units of
            1e-5 degree (rounded to nearest).
Each LineString is one line; each part of a MultiLineString is one line; order is the file's.
`rings` writes polygons in the same format: each ring (outer boundary or hole) of each Polygon
or part of a MultiPolygon is one closed line, its last point repeating its first.

`places` format: UTF-8 text, one place per line, tab-separated: name, longitude and latitude
(degrees, 5 decimals), pop_max (people; 0 where Natural Earth has -99, unknown), scalerank (0 = shown first, 10 = shown last); sorted
by scalerank, then by decreasing pop_max, then by name.
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


def rings(doc):
    for feature in doc["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            yield from geometry["coordinates"]
        elif geometry["type"] == "MultiPolygon":
            for polygon in geometry["coordinates"]:
                yield from polygon
        else:
            raise SystemExit(f"unexpected geometry type {geometry['type']}")


def pack_lines(parts):
    parts = [line for line in parts if len(line) >= 2]
    out = bytearray(b"NELINES1")
    out += struct.pack("<I", len(parts))
    for line in parts:
        out += struct.pack("<I", len(line))
        for lon, lat, *_ in line:
            out += struct.pack("<ii", round(lon * SCALE), round(lat * SCALE))
    print(f"{len(parts)} lines, {sum(map(len, parts))} points, {len(out)} bytes")
    return bytes(out)


def pack_places(doc):
    rows = []
    for feature in doc["features"]:
        p = feature["properties"]
        name = " ".join(p["name"].split())
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append((int(p["scalerank"]), -max(int(p["pop_max"]), 0), name, lon, lat))
    rows.sort()
    text = "".join(
        f"{name}\t{lon:.5f}\t{lat:.5f}\t{-neg_pop}\t{rank}\n"
        for rank, neg_pop, name, lon, lat in rows
    )
    print(f"{len(rows)} places, {len(text.encode())} bytes")
    return text.encode("utf-8")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("lines", "rings", "places"):
        raise SystemExit(__doc__)
    with open(sys.argv[2], encoding="utf-8") as f:
        doc = json.load(f)
    if sys.argv[1] == "lines":
        out = pack_lines(lines(doc))
    elif sys.argv[1] == "rings":
        out = pack_lines(rings(doc))
    else:
        out = pack_places(doc)
    with open(sys.argv[3], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
