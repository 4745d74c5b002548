#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer it may not depend on.

The layers, lowest first (docs/ARCHITECTURE.md explains them); a layer may include its own
headers and those of the layers listed for it, nothing above:

    common                      logging
    storage                     SQLite, keys as bytes          -> common
    value                       api/value, api/json, api/error, api/outcome -> common
    expr                        api/expr                        -> value
    catalog                     api/catalog, api/context        -> value, storage
    input                       api/input                       -> value
    partiql                     api/partiql (parse, translate)  -> catalog, value
    streams                     stream records, hook delivery   -> catalog, value, storage
    write                       api/write (the write engine)    -> streams, expr, catalog, value, storage
    ops                         api/ops (one file per operation) -> write, input, streams, expr, catalog, value, storage
    admin                       api/admin (localddb's own: seed, TTL sweeps) -> ops and below
    server                      HTTP, admin, main               -> everything below

Usage: check_layers.py [ROOT]   (prints each violation as file:line: message; exits 1 if any)
       check_layers.py --self-test   (shows the check failing on a wrong-way include)
"""
import os
import re
import sys

# (layer, path prefixes that belong to it)
LAYERS = [
    ("common", ["common/"]),
    ("storage", ["storage/"]),
    ("value", ["api/value/", "api/json.", "api/error.", "api/outcome."]),
    ("expr", ["api/expr/"]),
    ("catalog", ["api/catalog/", "api/context."]),
    ("input", ["api/input/"]),
    ("partiql", ["api/partiql/"]),
    ("streams", ["streams/"]),
    ("write", ["api/write/"]),
    ("ops", ["api/ops/"]),
    ("admin", ["api/admin/"]),
    ("server", ["server/"]),
]

ALLOWED = {
    "common": {"common"},
    "storage": {"storage", "common"},
    "value": {"value", "common"},
    "expr": {"expr", "value", "common"},
    "catalog": {"catalog", "value", "storage", "common"},
    "input": {"input", "value", "common"},
    "partiql": {"partiql", "catalog", "value", "storage", "common"},
    "streams": {"streams", "catalog", "value", "storage", "common"},
    "write": {"write", "streams", "expr", "catalog", "value", "storage", "common"},
    "ops": {"ops", "partiql", "write", "input", "streams", "expr", "catalog", "value", "storage", "common"},
    "admin": {"admin", "partiql", "ops", "write", "input", "streams", "expr", "catalog", "value", "storage", "common"},
    "server": {"server", "partiql", "admin", "ops", "write", "input", "streams", "expr", "catalog", "value", "storage", "common"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    for name, prefixes in LAYERS:
        if any(path.startswith(p) for p in prefixes):
            return name
    return None


def violations(files):
    """files: iterable of (relative path, text). Yields 'path:line: message'."""
    for path, text in files:
        layer = layer_of(path)
        if layer is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = layer_of(m.group(1))
            if target is not None and target not in ALLOWED[layer]:
                yield f"{path}:{number}: {layer} may not include {m.group(1)} ({target} is not a layer below it)"


def sources(root):
    for top in ("common", "storage", "api", "streams", "server"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith((".h", ".cc")):
                    full = os.path.join(dirpath, name)
                    with open(full, encoding="utf-8") as f:
                        yield os.path.relpath(full, root), f.read()


def self_test():
    bad = list(violations([("storage/example.cc", '#include "api/ops/operation.h"\n'),
                           ("api/catalog/x.h", '#include "api/write/item_writer.h"\n'),
                           ("api/value/y.cc", '#include "api/value/decimal.h"\n#include "common/log.h"\n')]))
    for v in bad:
        print(v)
    assert len(bad) == 2, bad
    print("self-test: the check fails on wrong-way includes, as it should")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = list(violations(sources(root)))
    for v in found:
        print(v)
    print(f"check_layers: {len(found)} wrong-way include(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
