#!/usr/bin/env python3
"""table-check.py MODE WIDTH JSON TABLE: for tests/ts-table.sh, checks the
default table of `ipcinspect list` (TABLE) against the JSON of the same
objects (JSON), and prints one TAP line per check ("ok NAME",
"not ok NAME", "# why").

MODE fit:    each list cell its first k items (k >= 1) in the JSON's
             order, then " +N more" with N the items left out (SEMAPHORES:
             ",... (N)", N the set's size); no line longer than WIDTH
             cells but the rows where a list shows only its first item
             (when even that does not fit, it is shown all the same)
MODE whole:  every list cell whole (--notruncate, or not a terminal)
MODE narrow: rows may be folded; every id, key, inode and pid whole

In every mode each object's identifying cells (ID and KEY, INODE, NAME,
PATH) are found whole, and each actor cell (CREATOR, SENDER, RECEIVER)
shows its pid whole.  The environment gives ELLIPSIS (what the locale
shows) and PIPES (the inodes of the pipes to look at; the shell's own
pipes come and go).  Cells are cut out by the header: libsmartcols puts
a left-aligned cell where its header starts and ends a right-aligned one
where its header ends.
"""
import json
import os
import re
import sys

RIGHT = {"ID", "PERMS", "SIZE", "NATTCH", "USED-BYTES", "MESSAGES", "NSEMS", "WAITERS",
         "INODE", "VALUE", "USED", "NOTIFY-PID"}

# kind: (title, identifying (column, member), actors, lists (column, member))
KINDS = {
    "shm": ("Shared memory segments", [("ID", "id"), ("KEY", "key")],
            [("CREATOR", "creator")], [("ATTACHED", "attached")]),
    "msg": ("Message queues", [("ID", "id"), ("KEY", "key")],
            [("SENDER", "last_sender"), ("RECEIVER", "last_receiver")], []),
    "sem": ("Semaphore sets", [("ID", "id"), ("KEY", "key")], [], [("SEMAPHORES", "semaphores")]),
    "fifo": ("FIFOs (named pipes)", [("PATH", "path"), ("INODE", "inode")], [],
             [("READERS", "readers"), ("WRITERS", "writers")]),
    "pipe": ("Pipes", [("INODE", "inode")], [], [("READERS", "readers"), ("WRITERS", "writers")]),
    "pshm": ("POSIX shared memory", [("NAME", "name")], [], [("HOLDERS", "holders")]),
    "psem": ("POSIX named semaphores", [("NAME", "name")], [], [("HOLDERS", "holders")]),
    "pmq": ("POSIX message queues", [("NAME", "name")], [], [("HOLDERS", "holders")]),
    "unix": ("Unix sockets", [("INODE", "inode")], [], [("HOLDERS", "holders"), ("PEER", "peer")]),
    "memfd": ("memfd files", [("NAME", "name"), ("INODE", "inode")], [], [("HOLDERS", "holders")]),
}

n_failed = 0


def check(cond, name, why=""):
    global n_failed
    print(("ok " if cond else "not ok ") + name)
    if not cond:
        n_failed += 1
        for line in why.splitlines():
            print("# " + line)


def sections(lines):
    """{title: [header, row lines...]} of the table."""
    out, cur = {}, None
    for line in lines:
        m = re.match(r"^(.*): [0-9]+$", line)
        if m and m.group(1) in {k[0] for k in KINDS.values()}:
            cur = out.setdefault(m.group(1), [])
        elif line == "":
            cur = None
        elif cur is not None:
            cur.append(line)
    return out


def split_row(header, row):
    """{column: cell text} of one table line, by the header's positions."""
    toks = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", header)]
    out, pos, i = {}, 0, 0
    while i < len(toks):
        name, start, end = toks[i]
        if name in RIGHT:
            out[name] = row[pos:end].strip()
            pos, i = end, i + 1
        elif i + 1 == len(toks):
            out[name] = row[start:].strip()
            i += 1
        elif toks[i + 1][0] not in RIGHT:
            out[name] = row[start:toks[i + 1][1]].strip()
            pos, i = toks[i + 1][1], i + 1
        else:   # left then right: the right one is the last word
            nname, _, nend = toks[i + 1]
            m = re.match(r"^(.*?)\s+(\S+)$", row[start:nend].rstrip())
            out[name], out[nname] = (m.group(1).strip(), m.group(2)) if m else (row[start:nend].strip(), "")
            pos, i = nend, i + 2
    return out


def holder_text(h):
    who = "%s[%d]" % (h["comm"] or "", h["pid"])
    if "mappings" in h:
        return who + ("x%d" % h["mappings"] if h["mappings"] > 1 else "")
    if "mapped" in h and h["fd"] is None:
        return who + "(mapped)"
    return who + ":%d" % h["fd"]


def list_items(member, value):
    """(items, prefix, total-style, text when not a list) of a list member."""
    if member == "semaphores":
        return [str(s["value"]) for s in value or []], "", True, "-"
    if member == "peer":
        if value is None:
            return [], "", False, "-"
        items, _, _, text = list_items("holders", value["holders"])
        return items, "%d " % value["inode"], False, text
    if value is None:
        return [], "", False, "?"
    return [holder_text(h) for h in value], "", False, "-"


def list_forms(member, value, ellipsis):
    """Every text the cell may show, each with the number of items shown."""
    items, prefix, total, empty = list_items(member, value)
    if not items:
        return {empty: 0}
    forms = {}
    for k in range(1, len(items) + 1):
        text = prefix + ",".join(items[:k])
        if k < len(items):
            text += (",%s (%d)" % (ellipsis, len(items))) if total else (" +%d more" % (len(items) - k))
        forms[text] = k
    return forms


def actor_ok(cell, actor):
    if actor is None:
        return cell == "-"
    pid = actor["pid"]
    return re.fullmatch(r"(\S*\[%d\]|%d \(\S+\))" % (pid, pid), cell) is not None


def objects(doc, kind):
    objs = doc.get(kind) or []
    if kind == "pipe":
        want = {int(x) for x in os.environ["PIPES"].split()}
        objs = [o for o in objs if o["inode"] in want]
    return objs


def ident_text(member, value):
    return str(value)


def check_row_mode(mode, width, doc, secs, ellipsis):
    """The rows allowed to be longer than width: a list shows one item."""
    minimal = set()
    for kind, (title, idents, actors, lists) in KINDS.items():
        rows = secs.get(title, [])
        objs = objects(doc, kind)
        check(len(objs) > 0 and len(rows) > 0, "%s: objects in the JSON and rows in the table" % kind,
              "%d objects, %d rows" % (len(objs), len(rows)))
        if not rows:
            continue
        header = rows[0]
        cells = [split_row(header, r) for r in rows[1:]]
        for obj in objs:
            want = {col: ident_text(m, obj[m]) for col, m in idents}
            found = [c for c in cells if all(c.get(col) == v for col, v in want.items())]
            what = "%s %s" % (kind, " ".join("%s=%s" % kv for kv in want.items()))
            check(len(found) == 1, "%s: one row, its identifiers whole" % what,
                  "rows found: %d\n%s" % (len(found), "\n".join(rows)))
            if len(found) != 1:
                continue
            c = found[0]
            for col, m in actors:
                check(actor_ok(c.get(col, ""), obj[m]), "%s: %s shows pid %s whole" %
                      (what, col, obj[m] and obj[m]["pid"]), "cell: %r" % c.get(col))
            for col, m in lists:
                forms = list_forms(m, obj[m], ellipsis)
                full = max(forms.values())
                cell = c.get(col, "")
                if mode == "whole":
                    check(forms.get(cell) == full, "%s: %s whole (%d items)" % (what, col, full),
                          "cell: %r" % cell)
                else:
                    if forms.get(cell) == 1:
                        minimal.add(rows[1 + cells.index(c)])
                    check(cell in forms, "%s: %s whole items, then the exact count (%s of %d)" %
                          (what, col, forms.get(cell), full), "cell: %r\nforms: %r" %
                          (cell, sorted(forms, key=forms.get)[:3]))
    return minimal


def check_narrow(doc, secs, ellipsis):
    for kind, (title, idents, actors, lists) in KINDS.items():
        text = "\n".join(secs.get(title, []))
        objs = objects(doc, kind)
        pids = set()
        for obj in objs:
            for col, m in idents:
                if col == "PATH":
                    continue    # a path may wrap: it is whole but on lines
                v = ident_text(m, obj[m])
                check(re.search(r"(^|\s)%s(\s|$)" % re.escape(v), text) is not None,
                      "%s %s: %s whole" % (kind, v, col), text)
            for col, m in actors:
                if obj[m]:
                    pids.add(obj[m]["pid"])
                    check(re.search(r"\[%d\]|(^|\s)%d \(" % (obj[m]["pid"], obj[m]["pid"]), text)
                          is not None, "%s: %s pid %d whole" % (kind, col, obj[m]["pid"]), text)
            for col, m in lists:
                items, prefix, _, _ = list_items(m, obj[m])
                v = obj[m]["holders"] if m == "peer" and obj[m] else obj[m]
                if m != "semaphores":
                    pids.update(h["pid"] for h in v or [])
                if items:
                    check((prefix + items[0]) in text.replace("\n", " ") or
                          (prefix + items[0]) in text, "%s: %s first item %s whole" %
                          (kind, col, prefix + items[0]), text)
        if kind == "pipe":
            continue    # the shell's pipes, other in each run
        shown = {int(p) for p in re.findall(r"\[(\d+)\]", text)}
        check(shown <= pids, "%s: every [pid] shown is one of the JSON's" % kind,
              "not in the JSON: %r" % sorted(shown - pids))
        check(re.search(r"\[\d+(?![\d\]])", text) is None, "%s: no pid cut after '['" % kind, text)


def main():
    mode, width, jsonf, tablef = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    ellipsis = os.environ.get("ELLIPSIS", "...")
    with open(jsonf, encoding="utf-8") as f:
        doc = json.load(f)
    with open(tablef, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    secs = sections(lines)
    check(len(secs) == len(KINDS), "a section for every kind", "sections: %r" % sorted(secs))
    if mode == "narrow":
        check_narrow(doc, secs, ellipsis)
        return 0
    minimal = check_row_mode(mode, width, doc, secs, ellipsis)
    if mode == "fit":
        long = [l for l in lines if len(l) > width and l not in minimal]
        check(not long, "no line longer than %d but where a list shows one item" % width,
              "\n".join(long))
    return 0


if __name__ == "__main__":
    sys.exit(main())
