#!/usr/bin/env python3
"""Import cycles among sibling modules. Usage: cycles.py runtime/src lib.rs | cycles.py cli/src main.rs
Every `use` (and inline crate::/super:: path) outside `#[cfg(test)] mod`, all cfg branches,
resolved through re-exports to the file defining the item."""
import os, re, sys, collections
ROOT, TOP = sys.argv[1], sys.argv[2]
ALIASES = {("sys", "imp"): [("sys", "unix"), ("sys", "windows")],
           ("sys", "unix", "extra"): [("sys", "unix", x) for x in ("linux", "portable")]}

def strip_tests(text):
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        if lines[i].strip().startswith("#[cfg(test)]"):
            j = i + 1
            while j < len(lines) and lines[j].strip().startswith("#["): j += 1
            if j < len(lines) and re.match(r"\s*(pub(\([\w:]+\))?\s+)?mod\s+\w+\s*\{", lines[j]):
                d, k, st = 0, j, False
                while k < len(lines):
                    d += lines[k].count("{") - lines[k].count("}"); st = st or "{" in lines[k]
                    if st and d <= 0: break
                    k += 1
                out += [""] * (k + 1 - i); i = k + 1; continue
        out.append(lines[i]); i += 1
    return out

def modpath(rel):
    if rel == TOP: return ()
    p = rel[:-3].split("/")
    return tuple(p[:-1] if p[-1] == "mod" else p)

files = {os.path.relpath(os.path.join(d, f), ROOT): os.path.join(d, f)
         for d, _, fs in os.walk(ROOT) for f in fs if f.endswith(".rs")}
mods = {modpath(r): r for r in files}
text = {r: "\n".join(strip_tests(open(p).read())) for r, p in files.items()}
DEF = re.compile(r"(?m)^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:unsafe\s+|const\s+|async\s+)*(?:fn|struct|enum|trait|const|static|type|union|mod|macro_rules!)\s+(\w+)")
USE = re.compile(r"(?m)^\s*((?:pub(?:\([\w:]+\))?\s+)?)use\s+([^;]*);")

def expand(t):
    t = t.strip(); i = t.find("{")
    if i < 0: return [t.split(" as ")[0].strip()]
    pre, inner, parts, d, cur = t[:i], t[i + 1:t.rindex("}")], [], 0, ""
    for c in inner:
        d += (c == "{") - (c == "}")
        if c == "," and d == 0: parts.append(cur); cur = ""
        else: cur += c
    parts.append(cur)
    return [pre + e if e != "self" else pre.rstrip(":") for p in parts if p.strip() for e in expand(p)]

defs, names, uses = {}, {}, {}
for r, t in text.items():
    m = modpath(r); defs[m] = set(DEF.findall(t))
    for u in USE.finditer(t):
        body = " ".join(u.group(2).split())
        uses.setdefault(m, []).append((t[:u.end()].count("\n") + 1 - body.count("\n"), " ".join(u.group(0).split()), expand(body)))
        for p in expand(body):
            a = re.search(re.escape(p.split("::")[-1]) + r"\s+as\s+(\w+)", body)
            names.setdefault(m, {}).setdefault(a.group(1) if a else p.split("::")[-1], []).append(p)

def absolute(cur, path):
    s = [x for x in path.split("::") if x]
    if not s: return None
    if s[0] == "crate": return tuple(s[1:])
    if s[0] in ("super", "self"):
        b = cur
        while s and s[0] == "super": b, s = b[:-1], s[1:]
        if s and s[0] == "self": s = s[1:]
        return b + tuple(s)
    if cur + (s[0],) in mods or cur + (s[0],) in ALIASES: return cur + tuple(s)
    for p in names.get(cur, {}).get(s[0], []):
        if p != path and (a := absolute(cur, p)): return a + tuple(s[1:])
    return None

def where(ab, depth=0):
    if ab is None or depth > 20: return set()
    for cut in range(len(ab), -1, -1):
        pre, rest = ab[:cut], ab[cut:]
        cands = [m for m in ALIASES.get(pre, [pre]) if m in mods]
        if not cands: continue
        out = set()
        for m in cands:
            if not rest: out.add(mods[m]); continue
            n = rest[0]
            if n in defs.get(m, ()) and m + (n,) not in mods: out.add(mods[m])
            elif n in names.get(m, {}):
                for p in names[m][n]:
                    a = absolute(m, p)
                    if a != ab: out |= where(a, depth + 1)
            else:
                globs = [absolute(m, p[:-3]) for ps in names.get(m, {}).values() for p in ps if p.endswith("::*")]
                found = set().union(*[where(g + (n,), depth + 1) for g in globs if g]) if globs else set()
                out |= found or {mods[m]}
        return out
    return set()

def chain(r):
    return list(modpath(r))

edges = collections.defaultdict(list)
for r, t in text.items():
    cur = modpath(r)
    if r.startswith("sys/unix/") and r.split("/")[-1] in ("linux.rs", "portable.rs"):
        cur = ("sys", "unix", "extra")
    for ln, stmt, paths in uses.get(modpath(r), []):
        for p in paths:
            for f in where(absolute(cur, p[:-3] if p.endswith("*") else p)):
                if f != r: edges[(r, f)].append((ln, stmt))
    for i, l in enumerate(t.split("\n"), 1):
        if USE.match(l) or l.strip().startswith("//"): continue
        for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", l):
            for f in where(absolute(cur, m.group(1))):
                if f != r: edges[(r, f)].append((i, l.strip()[:100]))

level = collections.defaultdict(lambda: collections.defaultdict(list))
for (a, b), v in edges.items():
    ca, cb = chain(a), chain(b); i = 0
    while i < min(len(ca), len(cb)) and ca[i] == cb[i]: i += 1
    if i == len(ca) or i == len(cb): continue          # parent/child: not siblings
    level["/".join(ca[:i]) or "<crate>"][(ca[i], cb[i])] += [(a, x) for x in v]
found = 0
for parent, E in sorted(level.items()):
    G = collections.defaultdict(set)
    for x, y in E: G[x].add(y)
    idx, low, st, on, comps = {}, {}, [], set(), []
    def sc(v):
        idx[v] = low[v] = len(idx); st.append(v); on.add(v)
        for w in sorted(G[v]):
            if w not in idx: sc(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            c = []
            while True:
                w = st.pop(); on.discard(w); c.append(w)
                if w == v: break
            if len(c) > 1: comps.append(sorted(c))
    for v in sorted(list(G)):
        if v not in idx: sc(v)
    for c in comps:
        found += 1; print(f"== in {parent}: {c}")
        for x in c:
            for y in c:
                for a, (ln, s) in sorted(set(E.get((x, y), [])))[:3]:
                    print(f"   {x} -> {y}: {a}:{ln} {s[:110]}")
sys.exit(1 if found else 0)
