#!/usr/bin/env python3
"""Team sync through real Syncthing daemons, test 2 of the issue: three daemons on loopback
(syncthing_support.py) and three vaults in one team. Every daemon pauses every device through the
REST API; offline, two vaults edit the same note, each adds a note, and both raise one
participant's public level to different levels, the less protective one later by the clock.
After the daemons resume: no revision is lost, the digests agree, the more protective level
stands with the conflict open (and still open after more rounds), until a person resolves it.
Then a lowering stays pending, in every vault, until a second member runs `team confirm`.

usage: syncthing_partition_test.py CLI        (ctest -L sync)
"""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syncthing_support as st  # noqa: E402
from syncthing_support import Syncthing, cli, fail, make_team, mesh, settle, wait_for  # noqa: E402

st.CLI = sys.argv[1]


def participant(vault, key):
    for p in json.loads(cli(vault, "participants", "--meeting", "1", "--json").stdout):
        if p["key"] == key:
            return p
    fail("no participant " + key)


def conflicts(vault):
    return json.loads(cli(vault, "conflicts", "--json").stdout)


def main():
    started = time.time()
    root = tempfile.mkdtemp(prefix="bc-syncthing3-")
    daemons = []
    try:
        daemons = [Syncthing(root, n) for n in ("a", "b", "c")]
        folders = [os.path.join(root, "folder-" + n) for n in ("a", "b", "c")]
        vaults = [os.path.join(root, "vault-" + n) for n in ("a", "b", "c")]
        for f in folders:
            os.mkdir(f)
        mesh(daemons, folders)
        make_team(root, vaults, folders)
        settle(vaults, folders)
        va, vb, vc = vaults
        fa, fb, fc = folders

        # The partition: every daemon stops talking to every other.
        for d in daemons:
            d.pause()
        for d in daemons:
            for o in daemons:
                if o is not d:
                    wait_for("the devices to be paused", lambda: not d.connected(o), 30)

        note = str(json.loads(cli(va, "notes", "--meeting", "1", "--json").stdout)[0]["id"])
        cli(vb, "note", "edit", note, "Edited in vault b during the partition.")
        cli(vc, "note", "edit", note, "Edited in vault c during the partition.")
        cli(vb, "note", "add", "--meeting", "1", "Added in vault b during the partition.")
        cli(vc, "note", "add", "--meeting", "1", "Added in vault c during the partition.")
        cli(vb, "participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=hidden")
        time.sleep(0.05)  # c's raise is later by the clock, and less protective
        cli(vc, "participant", "set", "--meeting", "1", "--key", "b", "--disclosure", "public=anonymous")
        for v, f in zip(vaults, folders):
            cli(v, "sync", "--folder", f)
        time.sleep(2.5)  # more than the watcher's delay: nothing may cross while paused
        if st.folder_state(fb) == st.folder_state(fc):
            fail("the folders agree while the devices are paused: the partition did not hold")

        for d in daemons:
            d.resume()
        digest = settle(vaults, folders)

        for v in vaults:
            history = cli(v, "note", "history", note).stdout
            for t in ("Edited in vault b during the partition.", "Edited in vault c during the partition."):
                if t not in history:
                    fail("a revision was lost in %s: %s" % (v, t))
            texts = [n["text"] for n in json.loads(cli(v, "notes", "--meeting", "1", "--json").stdout)]
            for t in ("Added in vault b during the partition.", "Added in vault c during the partition."):
                if t not in texts:
                    fail("a note was lost in %s: %s" % (v, t))
            p = participant(v, "b")
            if p["disclosure"]["public"] != "hidden" or p.get("conflict") is not True:
                fail("%s: the more protective level must stand with the conflict open: %s" % (v, json.dumps(p)))
            kinds = {c["kind"] + ":" + c.get("field", "") for c in conflicts(v)}
            if "field:disclosure.public" not in kinds or "note:" not in kinds:
                fail("%s lists the conflicts %s" % (v, sorted(kinds)))
        print("after the partition: digests agree (%s), no revision lost, hidden stands" % digest[0])

        # More rounds leave the conflict open; a person resolves it.
        settle(vaults, folders)
        level = [c for c in conflicts(vc) if c.get("field") == "disclosure.public"]
        if len(level) != 1:
            fail("the level conflict closed by itself")
        cli(va, "conflicts", "resolve", level[0]["id"], "--keep", "hidden")
        settle(vaults, folders)
        for v in vaults:
            if any(c.get("field") == "disclosure.public" for c in conflicts(v)):
                fail("%s still lists the resolved conflict" % v)

        # A lowering waits for a second member, in every vault.
        cli(va, "participant", "set", "--meeting", "1", "--key", "c", "--disclosure", "public=named")
        settle(vaults, folders)
        for v in vaults:
            if participant(v, "c")["disclosure"]["public"] == "named":
                fail("%s: a lowering took effect on one member's word" % v)
        status = json.loads(cli(vb, "sync", "status", "--folder", fb, "--json").stdout)
        pending = status[0]["pending_confirmations"]
        if len(pending) != 1 or pending[0]["to"] != "named":
            fail("b does not show the pending lowering: %s" % json.dumps(pending))
        cli(vb, "team", "confirm", pending[0]["change"])
        digest = settle(vaults, folders)
        for v in vaults:
            if participant(v, "c")["disclosure"]["public"] != "named":
                fail("%s: the confirmed lowering did not arrive" % v)
        print("ok: the lowering waited for b's confirmation; digests agree (%s); %.0f s" % (digest[0], time.time() - started))
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(root, ignore_errors=True)


main()
