#!/usr/bin/env python3
"""The randomized-partition soak (run by scripts/soak, not by ctest): three Syncthing daemons on
loopback (syncthing_support.py) and three vaults in one team. For MINUTES, at random moments,
vaults add notes, edit notes, raise disclosure levels and change aliases, and run `sync`, while
daemons pause and resume random devices through the REST API. Every `sync` must exit 0. While a
level conflict is open, the level standing must be at least as protective as each side. At the
end every device is resumed and the vaults synced until the folders agree: the digests must be
equal, and every acknowledged note and revision must be in every vault.

Prints `[soak] ...` lines (what scripts/soak records in docs/security-results.md) and exits 0
when every check held, 1 otherwise.

usage: syncthing_soak.py CLI [--minutes M] [--seed N]
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syncthing_support as st  # noqa: E402
from syncthing_support import Syncthing, cli, make_team, mesh, settle  # noqa: E402

LEVELS = ["named", "role", "pseudonym", "anonymous", "hidden"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    st.CLI = args.cli
    rng = random.Random(args.seed)
    print("[soak] seed %d, %.1f minutes, 3 vaults, 3 Syncthing daemons on 127.0.0.1" % (args.seed, args.minutes), flush=True)

    root = tempfile.mkdtemp(prefix="bc-soak-")
    daemons = []
    failures = []
    counts = {"note add": 0, "note edit": 0, "level raise": 0, "aliases": 0, "sync": 0, "pause": 0, "resume": 0}
    try:
        names = ("a", "b", "c")
        daemons = [Syncthing(root, n) for n in names]
        folders = [os.path.join(root, "folder-" + n) for n in names]
        vaults = [os.path.join(root, "vault-" + n) for n in names]
        for f in folders:
            os.mkdir(f)
        mesh(daemons, folders)
        make_team(root, vaults, folders)
        settle(vaults, folders)

        notes_added, revisions = set(), set()
        paused = set()  # (i, j): daemon i pauses device j
        conflict_checks = 0
        started = time.time()
        deadline = started + args.minutes * 60
        while time.time() < deadline:
            i = rng.randrange(3)
            v, f = vaults[i], folders[i]
            roll = rng.random()
            tag = "%s-%d" % (names[i], sum(counts.values()))
            if roll < 0.25:
                text = "Soak note %s." % tag
                if cli(v, "note", "add", "--meeting", "1", text, check=False).returncode == 0:
                    notes_added.add(text)
                    counts["note add"] += 1
            elif roll < 0.40:
                notes = json.loads(cli(v, "notes", "--meeting", "1", "--json").stdout)
                n = rng.choice(notes)
                text = "Soak edit %s." % tag
                if cli(v, "note", "edit", str(n["id"]), text, check=False).returncode == 0:
                    revisions.add(text)
                    counts["note edit"] += 1
            elif roll < 0.50:
                key = rng.choice("bcde")
                ps = {p["key"]: p for p in json.loads(cli(v, "participants", "--meeting", "1", "--json").stdout)}
                now = LEVELS.index(ps[key]["disclosure"]["public"])
                level = LEVELS[rng.randrange(now, 5)]
                cli(v, "participant", "set", "--meeting", "1", "--key", key, "--disclosure", "public=" + level)
                counts["level raise"] += 1
            elif roll < 0.55:
                cli(v, "participant", "set", "--meeting", "1", "--key", "d", "--alias", "Alias " + tag)
                counts["aliases"] += 1
            elif roll < 0.80:
                r = cli(v, "sync", "--folder", f, check=False)
                counts["sync"] += 1
                if r.returncode != 0:
                    failures.append("sync in %s exited %d: %s" % (names[i], r.returncode, r.stderr.strip()[:300]))
            else:
                j = rng.choice([k for k in range(3) if k != i])
                if (i, j) in paused:
                    daemons[i].resume(daemons[j])
                    paused.discard((i, j))
                    counts["resume"] += 1
                else:
                    daemons[i].pause(daemons[j])
                    paused.add((i, j))
                    counts["pause"] += 1
            # Fail safe while a conflict is open.
            if rng.random() < 0.1:
                for c in json.loads(cli(v, "conflicts", "--json").stdout):
                    if c.get("field", "").startswith("disclosure."):
                        conflict_checks += 1
                        for side in c["sides"]:
                            if LEVELS.index(c["current"]) < LEVELS.index(side["value"]):
                                failures.append("%s: level %s stands in a conflict with %s" % (names[i], c["current"], side["value"]))
            time.sleep(rng.uniform(0.05, 0.6))

        ran = time.time() - started
        print("[soak] %.0f s of random work: %s; %d fail-safe checks of open level conflicts"
              % (ran, ", ".join("%d %s" % (n, k) for k, n in counts.items()), conflict_checks), flush=True)
        for d in daemons:
            d.resume()
        t0 = time.time()
        digest = settle(vaults, folders, timeout=300)
        print("[soak] after resuming every device: converged in %.0f s, digests agree (%s)" % (time.time() - t0, digest[0]),
              flush=True)
        for v, n in zip(vaults, names):
            notes = json.loads(cli(v, "notes", "--meeting", "1", "--json").stdout)
            texts = {x["text"] for x in notes}
            held = set(texts)
            for x in notes:
                held.update(l for l in cli(v, "note", "history", str(x["id"])).stdout.splitlines())
            missing_notes = [t for t in notes_added if not any(t in h for h in held)]
            missing_revisions = [t for t in revisions if not any(t in h for h in held)]
            if missing_notes or missing_revisions:
                failures.append("%s lost %d notes and %d revisions (e.g. %s)"
                                % (n, len(missing_notes), len(missing_revisions), (missing_notes + missing_revisions)[0]))
            if cli(v, "check", check=False).returncode != 0:
                failures.append("%s fails `check`" % n)
        print("[soak] %d notes added and %d revisions written, acknowledged: %s in all 3 vaults; `check` passed in all 3"
              % (len(notes_added), len(revisions), "all present" if not failures else "see failures"), flush=True)
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(root, ignore_errors=True)
    for f in failures[:20]:
        print("[soak] FAILURE: " + f, flush=True)
    print("[soak] result: %s" % ("passed" if not failures else "%d failures" % len(failures)), flush=True)
    sys.exit(0 if not failures else 1)


main()
