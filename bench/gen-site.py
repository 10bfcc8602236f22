#!/usr/bin/python3
"""Generate a static web site for the Trawl benchmark.

Usage:
  gen-site.py site     OUTDIR [--pages N] [--seed S] [--links L] [--size BYTES]
  gen-site.py frontier OUTDIR [--hubs H] [--fanout F]

"site" writes N pages of realistic HTML (about 15 KB each: a <head> with a
title, meta description and inline style, a nav bar, headings, paragraphs of
lorem-like text, a related-links list and a footer) with about 50 links per
page to other pages of the site.  Every page is reachable from the index:
page i links to its "children" 10i+1 .. 10i+10, so the site is a 10-ary tree
(depth 5 for 20,000 pages) with ~30 random cross links per page on top, nine
nav links (the same on every page) and a few repeated links (same target,
sometimes with a #fragment).  Links are written in the forms a real site
mixes: relative to the page ("p123.html", "../s07/p123.html") and
root-relative ("/s07/p123.html").  Each URL has exactly one spelling apart
from fragments, so every crawler should find exactly N pages: "/" plus
/sNN/pI.html for I in 1 .. N-1.

"frontier" writes an index linking H hub pages, and H hub pages each linking
F URLs that no other page links, so a crawler that has fetched the hubs
holds H*F (default 1,000,000) discovered URLs in its frontier, each about
70 bytes long (/hNNNN/item/MMMM-three-word-slug.html).  The leaf files are
not written: the nginx config serves a tiny page for any path that does not
exist (see bench/run).

Output is deterministic for given parameters (each page has its own seeded
RNG).  A stamp file OUTDIR/.params records the parameters and this script's
hash; if it matches, nothing is regenerated.
"""

import argparse
import hashlib
import os
import random
import shutil
import sys
from multiprocessing import Pool

SECTIONS = 20
CHILDREN = 10

WORDS = """lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod
tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis
nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis
aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur
excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt
mollit anim id est laborum curabitur pretium tincidunt lacus nulla gravida
orci a odio nullam varius turpis et commodo pharetra est eros bibendum elit
nec luctus magna felis sollicitudin mauris integer dui feugiat quis urna
morbi blandit condimentum risus pellentesque habitant senectus netus malesuada
fames ac turpis egestas vestibulum tortor quam feugiat vitae ultricies eget
tempor sit amet ante donec eu libero sit amet quam egestas semper aenean
ultricies mi vitae est mauris placerat eleifend leo crawler spider frontier
harbour vessel anchor tide current channel beacon lantern cargo voyage""".split()

TOPICS = """Harbour Logistics Tidal Charts Net Mending Cargo Manifests Lighthouse
Keeping Deep Water Shallows Coastal Weather Fleet Records Dockside Markets
Rope Work Sail Repair Salt Curing Fishing Grounds Ship Registers""".split()

NAV = [(0, "Home"), (1, "About"), (2, "Products"), (3, "Services"),
       (4, "Blog"), (5, "Support"), (6, "Careers"), (7, "Press"),
       (8, "Contact")]

STYLE = """body{font-family:sans-serif;margin:0;color:#222;line-height:1.5}
header,footer{background:#1c3d5a;color:#fff;padding:1em}
header a,footer a{color:#cde;margin-right:1em}main{max-width:60em;margin:auto;padding:1em}
.related li{margin:.2em 0}h1{font-size:1.8em}h2{font-size:1.3em;border-bottom:1px solid #ccc}"""


def page_path(i):
    """URL path of page i (also its file path under OUTDIR)."""
    if i == 0:
        return "/"
    return "/s%02d/p%d.html" % (i % SECTIONS, i)


def page_dir(i):
    return "/" if i == 0 else "/s%02d/" % (i % SECTIONS)


def href(src, dst, rng):
    """A link from page src to page dst, in one of the forms sites use."""
    path = page_path(dst)
    if dst == 0:
        return rng.choice(["/", "/", "../"]) if src != 0 else "/"
    sdir, ddir = page_dir(src), page_dir(dst)
    name = path.rsplit("/", 1)[1]
    r = rng.random()
    if sdir == ddir and r < 0.6:
        return name if r < 0.45 else "./" + name
    if sdir != "/" and r < 0.5:
        return ".." + path          # ../sNN/pI.html
    if sdir == "/" and r < 0.5:
        return path[1:]             # sNN/pI.html from the index
    return path                     # root-relative


def words(rng, n):
    return " ".join(rng.choices(WORDS, k=n))


def sentence(rng):
    s = words(rng, rng.randint(8, 18))
    return s[0].upper() + s[1:] + "."


def title_of(i, rng):
    return "%s %s %d" % (rng.choice(TOPICS), rng.choice(TOPICS), i)


def render_page(args):
    i, n, seed, links, size, outdir = args
    rng = random.Random(seed * 1000003 + i)
    title = title_of(i, rng)
    # Links: children in the tree first (reachability), then cross links.
    targets = [c for c in range(CHILDREN * i + 1, CHILDREN * i + CHILDREN + 1)
               if c < n]
    n_cross = max(0, links - len(NAV) - len(targets) - 4)
    targets += [rng.randrange(n) for _ in range(n_cross)]
    rng.shuffle(targets)
    parts = []
    parts.append('<!DOCTYPE html>\n<html lang="en">\n<head>\n'
                 '<meta charset="utf-8">\n'
                 '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                 '<title>%s</title>\n'
                 '<meta name="description" content="%s">\n'
                 '<style>%s</style>\n</head>\n<body>\n'
                 % (title, sentence(rng), STYLE))
    parts.append('<header><nav>\n')
    for dst, label in NAV:
        if dst < n:
            parts.append('<a href="%s">%s</a>\n' % (href(i, dst, rng), label))
    parts.append('</nav></header>\n<main>\n<h1>%s</h1>\n' % title)
    # Body text with the links spread through the paragraphs.
    body_budget = size - 1700
    written = 0
    section = 0
    ti = 0
    while written < body_budget or ti < len(targets):
        if written == 0 or rng.random() < 0.2:
            section += 1
            h = '<h2 id="section-%d">%s</h2>\n' % (section, sentence(rng)[:-1])
            parts.append(h)
            written += len(h)
        sents = []
        for _ in range(rng.randint(3, 7)):
            sents.append(sentence(rng))
            if ti < len(targets) and rng.random() < 0.5:
                dst = targets[ti]
                ti += 1
                sents.append('See <a href="%s">%s</a>.'
                             % (href(i, dst, rng), title_of(dst, random.Random(seed * 1000003 + dst))))
        p = "<p>%s</p>\n" % " ".join(sents)
        parts.append(p)
        written += len(p)
        if written > 3 * size:       # never loop forever on odd parameters
            break
    # Related list: a few repeats of links already on the page.
    parts.append('<h2>Related</h2>\n<ul class="related">\n')
    for dst in rng.sample(targets, min(4, len(targets))):
        h = href(i, dst, rng)
        if rng.random() < 0.5:
            h += "#section-%d" % rng.randint(1, 3)
        parts.append('<li><a href="%s">%s %d</a></li>\n' % (h, rng.choice(TOPICS), dst))
    parts.append('</ul>\n</main>\n<footer>\n<p>&copy; 2024 Trawl Harbour Co. '
                 '<a href="/">Home</a> <a href="%s">Contact</a></p>\n'
                 '</footer>\n</body>\n</html>\n' % href(i, 8 if n > 8 else 0, rng))
    path = page_path(i)
    fname = os.path.join(outdir, "index.html" if i == 0 else path[1:])
    with open(fname, "w") as f:
        f.write("".join(parts))
    return len("".join(parts))


def render_hub(args):
    h, fanout, outdir = args
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
             '<title>Hub %d</title></head><body><h1>Hub %d</h1><ul>\n' % (h, h)]
    nw = len(WORDS)
    for u in range(fanout):
        # A slug makes the URLs as long as real ones (~70 bytes in all).
        k = h * fanout + u
        slug = "-".join(WORDS[(k * m) % nw] for m in (7, 13, 31))
        parts.append('<li><a href="/h%04d/item/%04d-%s.html">%s</a></li>\n'
                     % (h, u, slug, slug.replace("-", " ")))
    parts.append("</ul></body></html>\n")
    with open(os.path.join(outdir, "hub%04d.html" % h), "w") as f:
        f.write("".join(parts))


def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description="Generate a benchmark site.")
    ap.add_argument("mode", choices=["site", "frontier"])
    ap.add_argument("outdir")
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--links", type=int, default=50)
    ap.add_argument("--size", type=int, default=15000)
    ap.add_argument("--hubs", type=int, default=1000)
    ap.add_argument("--fanout", type=int, default=1000)
    a = ap.parse_args()

    if a.mode == "site":
        params = "site pages=%d seed=%d links=%d size=%d gen=%s" % (
            a.pages, a.seed, a.links, a.size, script_hash())
    else:
        params = "frontier hubs=%d fanout=%d gen=%s" % (a.hubs, a.fanout, script_hash())
    stamp = os.path.join(a.outdir, ".params")
    try:
        with open(stamp) as f:
            if f.read().strip() == params:
                print("gen-site: reusing %s (%s)" % (a.outdir, params), file=sys.stderr)
                return
    except FileNotFoundError:
        pass

    if os.path.exists(a.outdir):
        shutil.rmtree(a.outdir)
    os.makedirs(a.outdir)
    print("gen-site: generating %s (%s)" % (a.outdir, params), file=sys.stderr)

    if a.mode == "site":
        if a.pages < 10:
            sys.exit("gen-site: --pages must be at least 10")
        for s in range(SECTIONS):
            os.makedirs(os.path.join(a.outdir, "s%02d" % s), exist_ok=True)
        jobs = [(i, a.pages, a.seed, a.links, a.size, a.outdir) for i in range(a.pages)]
        with Pool(os.cpu_count() or 1) as pool:
            total = sum(pool.imap_unordered(render_page, jobs, chunksize=200))
        print("gen-site: %d pages, %.1f MB, %.1f KB/page"
              % (a.pages, total / 1e6, total / a.pages / 1e3), file=sys.stderr)
    else:
        with open(os.path.join(a.outdir, "index.html"), "w") as f:
            f.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                    "<title>Frontier</title></head><body><ul>\n")
            for h in range(a.hubs):
                f.write('<li><a href="/hub%04d.html">hub %d</a></li>\n' % (h, h))
            f.write("</ul></body></html>\n")
        with open(os.path.join(a.outdir, "leaf.html"), "w") as f:
            f.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                    "<title>Leaf</title></head><body><p>Leaf.</p></body></html>\n")
        with Pool(os.cpu_count() or 1) as pool:
            pool.map(render_hub, [(h, a.fanout, a.outdir) for h in range(a.hubs)])
        print("gen-site: index + %d hubs x %d links = %d leaf URLs"
              % (a.hubs, a.fanout, a.hubs * a.fanout), file=sys.stderr)

    with open(stamp, "w") as f:
        f.write(params + "\n")


if __name__ == "__main__":
    main()
