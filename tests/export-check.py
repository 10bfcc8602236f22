#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a trawl-cli export back with Python's own parsers and compares it,
row by row and cell by cell, with the crawl file it came from.

Usage: export-check.py CRAWL.trawl pages|links csv|json|jsonl|xml|sitemap EXPORT [--no-guard]
       export-check.py CRAWL.trawl items csv|json|jsonl|xml EXPORT --fields A,B,C [--no-guard]
       … [--columns A,B]: only those columns, in that order

The expected values are read with Python's sqlite3 and put through what
the export documents: bytes that are not UTF-8 become U+FFFD; with the CSV
guard, text cells that begin with = + - @ tab or CR get a leading ';
in XML, characters XML 1.0 cannot carry become U+FFFD and a missing value
is a missing element.  Items have the page, the record and the given
fields, each a text, a list of texts (a JSON array in a CSV cell, <value>
elements in XML) or missing.  A sitemap lists the pages that answered 200 with
HTML, may be indexed and are their own canonical; a sitemap index lists
parts beside it of at most 50,000 URLs.  Prints what differs and exits 1,
or exits 0.
"""
import csv
import io
import json
import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

QUERIES = {
    "pages": (
        "page",
        "SELECT u.url, CASE u.state WHEN 1 THEN 'fetched' WHEN 2 THEN 'failed' WHEN 3 THEN 'skipped' END, "
        "u.reason, u.depth, p.status, p.content_type, p.bytes, p.title, p.description, p.h1, p.canonical, "
        "p.meta_robots, p.x_robots_tag, p.noindex, p.word_count, p.fetch_ms, p.ttfb_ms, p.redirects, "
        "p.final_url, p.outlinks, p.error, strftime('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch') "
        "FROM urls u LEFT JOIN pages p ON p.id = u.id WHERE u.state <> 0 ORDER BY u.id",
        ["url", "state", "reason", "depth", "status", "content_type", "size", "title", "description", "h1",
         "canonical", "meta_robots", "x_robots_tag", "noindex", "word_count", "fetch_ms", "ttfb_ms",
         "redirects", "final_url", "outlinks", "error", "fetched_at"],
    ),
    "links": (
        "link",
        "SELECT f.url, t.url, l.kind, l.rel, l.anchor, l.hreflang, l.nofollow FROM links l "
        "JOIN urls f ON f.id = l.from_id JOIN urls t ON t.fingerprint = l.to_fingerprint "
        "ORDER BY l.from_id, l.seq",
        ["from_url", "to_url", "kind", "rel", "anchor", "hreflang", "nofollow"],
    ),
}


def xml_safe(text):
    return "".join("\ufffd" if (ord(c) < 0x20 and c not in "\t\n\r") or c in "\ufffe\uffff" else c
                   for c in text)


ITEMS_SQL = ("SELECT u.url, i.record, i.data FROM items i JOIN urls u ON u.id = i.page_id "
             "ORDER BY i.page_id, i.seq")


def expected_rows(crawl, what, fields):
    db = sqlite3.connect(crawl)
    db.text_factory = lambda b: b.decode("utf-8", "replace")
    if what == "items":
        rows = []
        for url, record, data in db.execute(ITEMS_SQL):
            values = json.loads(data)
            rows.append([url, record] + [values.get(f) for f in fields])
        return ["page", "record"] + fields, rows
    _, sql, names = QUERIES[what]
    return names, [list(row) for row in db.execute(sql)]


def fail(message):
    print(message)
    sys.exit(1)


def compare(rows, got, names):
    if len(got) != len(rows):
        fail(f"{len(got)} rows exported, {len(rows)} in the crawl file")
    for i, (want, have) in enumerate(zip(rows, got)):
        for name, w, h in zip(names, want, have):
            if w != h:
                fail(f"row {i + 1}, {name}: exported {h!r}, the crawl file has {w!r}")


SITEMAP_SQL = (
    "SELECT u.url, strftime('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch') FROM urls u "
    "JOIN pages p ON p.id = u.id WHERE p.status = 200 AND p.noindex = 0 "
    "AND (p.content_type LIKE 'text/html%' OR p.content_type LIKE 'application/xhtml+xml%') "
    "AND (p.canonical IS NULL OR p.canonical = '' OR p.canonical = u.url) ORDER BY u.id")
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def check_sitemap(crawl, path):
    db = sqlite3.connect(crawl)
    db.text_factory = lambda b: b.decode("utf-8", "replace")
    want = [[xml_safe(url), lastmod] for url, lastmod in db.execute(SITEMAP_SQL)]
    root = ET.parse(path).getroot()
    if root.tag == NS + "sitemapindex":
        parts = [os.path.join(os.path.dirname(path), e.find(NS + "loc").text.rsplit("/", 1)[1])
                 for e in root]
        if len(parts) < 2:
            fail("a sitemap index of fewer than two parts")
    elif root.tag == NS + "urlset":
        parts = [path]
    else:
        fail(f"root <{root.tag}> is neither a urlset nor a sitemapindex")
    got = []
    for part in parts:
        urlset = ET.parse(part).getroot()
        if urlset.tag != NS + "urlset" or len(urlset) > 50000:
            fail(f"{part}: <{urlset.tag}> of {len(urlset)} URLs")
        got += [[u.find(NS + "loc").text, u.find(NS + "lastmod").text] for u in urlset]
    compare(want, got, ["loc", "lastmod"])


def main():
    crawl, what, fmt, path = sys.argv[1:5]
    guard = "--no-guard" not in sys.argv[5:]
    fields = sys.argv[sys.argv.index("--fields") + 1].split(",") if "--fields" in sys.argv else []
    if fmt == "sitemap":
        return check_sitemap(crawl, path)
    names, rows = expected_rows(crawl, what, fields)
    if "--columns" in sys.argv:
        chosen = sys.argv[sys.argv.index("--columns") + 1].split(",")
        rows = [[row[names.index(c)] for c in chosen] for row in rows]
        names = chosen

    if fmt == "csv":
        # A list of every match can be long: up to 10,000 values a field.
        csv.field_size_limit(sys.maxsize)
        with open(path, newline="", encoding="utf-8") as f:
            data = f.read()
        if rows and "\r\n" not in data:
            fail("CSV records do not end with CRLF")
        table = list(csv.reader(io.StringIO(data, newline="")))
        if table[0] != names:
            fail(f"header {table[0]}, expected {names}")

        def cell(v):
            if v is None:
                return ""
            if isinstance(v, list):
                return v
            if isinstance(v, str):
                return "'" + v if guard and v[:1] and v[0] in "=+-@\t\r" else v
            return str(v)
        # A list is a JSON array in its cell: read back with json.
        got = [[json.loads(c) if isinstance(w, list) else c for w, c in zip(want, row)]
               for want, row in zip([[cell(v) for v in r] for r in rows], table[1:])] + table[1 + len(rows):]
        compare([[cell(v) for v in row] for row in rows], got, names)
    elif fmt in ("json", "jsonl"):
        with open(path, encoding="utf-8") as f:
            if fmt == "json":
                objects = json.load(f)
            else:
                objects = [json.loads(line) for line in f]
        for o in objects:
            if list(o.keys()) != names:
                fail(f"keys {list(o.keys())}, expected {names}")
        compare(rows, [[o[n] for n in names] for o in objects], names)
    elif fmt == "xml":
        root = ET.parse(path).getroot()
        element = "item" if what == "items" else QUERIES[what][0]
        if root.tag != what or any(child.tag != element for child in root):
            fail(f"root <{root.tag}> with other than <{element}> rows")
        got = []
        for child in root:
            values = []
            for n in names:
                e = child.find(n)
                if e is not None and len(e) > 0:
                    values.append([v.text or "" for v in e.findall("value")])
                else:
                    values.append(None if e is None else (e.text or ""))
            got.append(values)

        def xml_value(v):
            if v is None:
                return None
            if isinstance(v, list):
                return [xml_safe(x) for x in v]
            return xml_safe(v) if isinstance(v, str) else str(v)
        compare([[xml_value(v) for v in row] for row in rows], got, names)
    else:
        fail(f"unknown format {fmt}")


if __name__ == "__main__":
    main()
