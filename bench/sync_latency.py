#!/usr/bin/env python3
"""Starts two real Syncthing daemons on 127.0.0.1 (tests/cli/syncthing_support.py: discovery,
relays and NAT off, fsWatcherDelayS 1), each sharing one folder with the other, and runs
`bench_sync latency FOLDER_A FOLDER_B NOTES` between them; prints its JSON.

usage: sync_latency.py BENCH_SYNC [NOTES]        (scripts/bench --only sync)
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from syncthing_support import Syncthing, mesh  # noqa: E402


def main():
    bench, notes = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "50"
    root = tempfile.mkdtemp(prefix="bc-sync-latency-")
    daemons = []
    try:
        daemons = [Syncthing(root, "a"), Syncthing(root, "b")]
        folders = [os.path.join(root, "folder-a"), os.path.join(root, "folder-b")]
        for f in folders:
            os.mkdir(f)
        mesh(daemons, folders)
        r = subprocess.run([bench, "latency", folders[0], folders[1], notes], capture_output=True, text=True, timeout=1800)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            sys.exit("bench_sync latency exited %d" % r.returncode)
        sys.stdout.write(r.stdout)
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(root, ignore_errors=True)


main()
