#!/usr/bin/env python3
"""An independent reference for docs/paper.md ("Structure id" and "Choice vectors"), written from
the document alone with Python's hashlib and hmac: prints the structure id and the choice vectors
of the test vector paper, which tests/core/test_copy_choices.cpp (KnownAnswerVectors) expects.
usage: tests/data/copy-choice-vectors/reference.py"""
import hashlib
import hmac
import struct

ALTERNATE, UNORDERED_LIST, NUMBER, DATE, SERIAL_COMMA, SPELLING = range(6)
ENGLISH, PERSIAN = 0, 1

# The test vector paper's texts and their variant points as docs/paper.md lists them:
# (language, [(kind, choice count, alternatives)]).
TEXTS = [
    (ENGLISH, [(ALTERNATE, 2, ["shall remain", "will remain"]),
               (SERIAL_COMMA, 2, ["trade", "trade,"]),
               (UNORDERED_LIST, 6, ["a hotline", "visas for scholars", "joint work on earthquakes"])]),
    (PERSIAN, [(ALTERNATE, 2, ["نخست", "اول"])]),
]
KEY = bytes(range(32))
CANDIDATES = 64
WINDOW = 24
U64_MAX = 2**64 - 1


def le64(v):
    return struct.pack("<Q", v)


def structure_id():
    h = hashlib.sha256(b"backchannel variant structure v1")
    for lang, points in TEXTS:
        h.update(le64(lang) + le64(len(points)))
        for kind, count, alts in points:
            h.update(le64(kind) + le64(count) + le64(len(alts)))
            for a in alts:
                a = a.encode()
                h.update(le64(len(a)) + a)
    return h.hexdigest()[:16]


def points():
    return [p for _, pts in TEXTS for p in pts]


def candidate(sid, label, c):
    label = label.encode()
    prefix = b"backchannel copy choice v1\x00" + sid.encode() + struct.pack(">I", len(label)) + label + struct.pack(">I", c)
    values = []
    for i, (_, count, _) in enumerate(points()):
        limit = U64_MAX - U64_MAX % count
        attempt = 0
        while True:
            d = hmac.new(KEY, prefix + struct.pack(">II", i, attempt), hashlib.sha256).digest()
            draw = int.from_bytes(d[:8], "big")
            if draw < limit:
                values.append(draw % count)
                break
            attempt += 1
    return values


def score(cand, others):
    strength = [1 if kind in (SPELLING, SERIAL_COMMA) else 2 for kind, _, _ in points()]
    n = len(cand)
    w = min(WINDOW, n)
    best, at = None, 0
    for o in others:
        for s in range(0, n - w + 1):
            d = sum(strength[i] for i in range(s, s + w) if cand[i] != o[i])
            if best is None or d < best:
                best, at = d, 0
            if d == best:
                at += 1
    return best, at


def derive(sid, label, earlier):
    others = [[0] * len(points())] + earlier
    kept, kept_score = None, None
    for c in range(CANDIDATES):
        cand = candidate(sid, label, c)
        m, at = score(cand, others)
        if kept is None or m > kept_score[0] or (m == kept_score[0] and at < kept_score[1]):
            kept, kept_score = cand, (m, at)
    return kept


def b36(v):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        s = digits[v % 36] + s
        v //= 36
        if v == 0:
            return s


def serialize(sid, values):
    return "cv1:" + sid + ":" + ".".join(b36(v) for v in values)


if __name__ == "__main__":
    sid = structure_id()
    first = derive(sid, "Copy 1", [])
    second = derive(sid, "Copy 2", [first])
    print("structure id ", sid)
    print("candidate 0  ", serialize(sid, candidate(sid, "Copy 1", 0)), "(Copy 1)")
    print("Copy 1       ", serialize(sid, first))
    print("fingerprint  ", hashlib.sha256(serialize(sid, first).encode()).hexdigest()[:16])
    print("Copy 2       ", serialize(sid, second))
