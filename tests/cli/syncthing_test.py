#!/usr/bin/env python3
"""Team sync through real Syncthing daemons, test 1 of the issue: two daemons on loopback
(syncthing_support.py), two vaults in one team through the real backchannel-cli; a note added in
vault A must become readable in vault B while B runs `sync --watch`.

usage: syncthing_test.py CLI        (ctest -L sync)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syncthing_support as st  # noqa: E402
from syncthing_support import PASSPHRASE, SAMPLE, Syncthing, bundles, cli, fail, wait_for  # noqa: E402,F401

st.CLI = CLI = sys.argv[1]


def main():
    root = tempfile.mkdtemp(prefix="bc-syncthing-")
    daemons, watch = [], None
    try:
        a, b = Syncthing(root, "a"), Syncthing(root, "b")
        daemons = [a, b]
        fa, fb = os.path.join(root, "folder-a"), os.path.join(root, "folder-b")
        os.mkdir(fa)
        os.mkdir(fb)
        a.add_device(b)
        b.add_device(a)
        a.add_folder(fa, [a, b])
        b.add_folder(fb, [a, b])
        wait_for("the two daemons to connect on loopback",
                 lambda: a.get("/rest/system/connections")["connections"].get(b.id, {}).get("connected"), 60)
        # Every connection of each daemon is to the other, on 127.0.0.1.
        for d in daemons:
            for dev, c in d.get("/rest/system/connections")["connections"].items():
                if c.get("connected") and not c.get("address", "").startswith("127.0.0.1:"):
                    fail("a daemon connected to " + c.get("address", "?"))

        va, vb = os.path.join(root, "vault-a"), os.path.join(root, "vault-b")
        cli(va, "init", "--kdf", "interactive")
        cli(vb, "init", "--kdf", "interactive")
        cli(va, "import-meeting", SAMPLE)
        series = json.loads(cli(va, "series", "--json").stdout)[0]["id"]
        cli(va, "team", "create", "--series", str(series))
        idfile = os.path.join(root, "b.json")
        with open(idfile, "w") as f:
            f.write(cli(vb, "identity", "--json").stdout)
        fp_b = cli(vb, "identity", "--fingerprint").stdout.strip()
        fp_a = cli(va, "identity", "--fingerprint").stdout.strip()
        cli(va, "team", "add", "--series", str(series), "--identity", idfile, "--fingerprint", fp_b)
        cli(va, "sync", "--folder", fa)
        wait_for("A's snapshot to reach B's folder", lambda: len(bundles(fb)) >= 1, 60)
        time.sleep(0.5)
        r = cli(vb, "sync", "--folder", fb)
        if fp_a not in r.stderr:
            fail("B's first sync does not list A's signer: " + r.stderr)
        cli(vb, "team", "accept", "--fingerprint", fp_a)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "BACKCHANNEL_VAULT": vb, "BACKCHANNEL_PASSPHRASE": PASSPHRASE}
        watch_log = open(os.path.join(root, "watch-b.log"), "w")
        watch = subprocess.Popen([CLI, "sync", "--folder", fb, "--watch"], stdout=watch_log, stderr=subprocess.STDOUT, env=env)

        def b_has(text):
            r = cli(vb, "notes", "--meeting", "1", "--json", check=False)
            return r.returncode == 0 and any(n["text"] == text for n in json.loads(r.stdout))

        wait_for("B's watch to apply A's snapshot", lambda: b_has("Helen Brooks will ask UNEP about hosting the data portal."), 60)
        text = "Typed in vault A, carried by Syncthing: a joint river survey in spring."
        cli(va, "note", "add", "--meeting", "1", text)
        t0 = time.time()
        cli(va, "sync", "--folder", fa)
        wait_for("A's note to be readable in B", lambda: b_has(text), 60)
        print("note readable in B %.1f s after A's note add returned (CLI polling included)" % (time.time() - t0))

        watch.send_signal(signal.SIGINT)
        rc = watch.wait(timeout=30)
        watch = None
        if rc != 0:
            fail("sync --watch exited %d on SIGINT" % rc)
        da = [l for l in cli(va, "sync", "status", "--folder", fa).stdout.splitlines() if l.startswith("digest ")]
        # B may have published (its own snapshot); let A apply what reached it before comparing.
        wait_for("A's folder to hold B's bundles", lambda: len(bundles(fa)) >= len(bundles(fb)), 60)
        time.sleep(1.5)
        cli(va, "sync", "--folder", fa)
        da = [l for l in cli(va, "sync", "status", "--folder", fa).stdout.splitlines() if l.startswith("digest ")]
        db = [l for l in cli(vb, "sync", "status", "--folder", fb).stdout.splitlines() if l.startswith("digest ")]
        if not da or da != db:
            fail("digests differ: %s vs %s" % (da, db))
        print("ok: digests agree (%s)" % da[0])
    finally:
        if watch is not None:
            watch.kill()
            watch.wait()
        for d in daemons:
            d.stop()
        shutil.rmtree(root, ignore_errors=True)


main()
