"""Real Syncthing daemons and the real backchannel-cli for the team sync tests, the soak and the
latency benchmark. Each daemon gets its own home and is bound to 127.0.0.1 only, with global and
local discovery, relays, NAT traversal, usage and crash reporting and upgrades off, so that
nothing leaves the loopback interface. Devices and folders are set through the REST API
(fsWatcherDelayS 1), and devices are paused and resumed through it.
"""
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

PASSPHRASE = "Tr4ck-II passphrase zq81x vellum"
SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "examples", "sample-meeting.json")
CLI = None  # set by the caller: the backchannel-cli to run


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def vault_env(vault):
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
            "BACKCHANNEL_VAULT": vault, "BACKCHANNEL_PASSPHRASE": PASSPHRASE}


class Syncthing:
    def __init__(self, root, name):
        self.home = os.path.join(root, "st-" + name)
        self.gui = free_port()
        self.listen = free_port()
        env = dict(os.environ, STNODEFAULTFOLDER="1", STNOUPGRADE="1")
        out = subprocess.run(["syncthing", "generate", "--home=" + self.home], capture_output=True, text=True, env=env, timeout=60)
        if out.returncode != 0:
            fail("syncthing generate: " + out.stderr)
        cfg = os.path.join(self.home, "config.xml")
        tree = ET.parse(cfg)
        root_el = tree.getroot()
        gui = root_el.find("gui")
        gui.find("address").text = "127.0.0.1:%d" % self.gui
        self.apikey = gui.find("apikey").text
        opts = root_el.find("options")
        for la in opts.findall("listenAddress"):
            opts.remove(la)
        la = ET.SubElement(opts, "listenAddress")
        la.text = "tcp://127.0.0.1:%d" % self.listen
        settings = {"globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
                    "natEnabled": "false", "startBrowser": "false", "urAccepted": "-1", "autoUpgradeIntervalH": "0",
                    "crashReportingEnabled": "false", "announceLANAddresses": "false"}
        for key, value in settings.items():
            el = opts.find(key)
            if el is None:
                el = ET.SubElement(opts, key)
            el.text = value
        tree.write(cfg)
        self.log = open(os.path.join(root, "st-%s.log" % name), "w")
        self.proc = subprocess.Popen(["syncthing", "serve", "--no-browser", "--no-restart", "--home=" + self.home],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while True:
            try:
                self.id = self.get("/rest/system/status")["myID"]
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    fail("syncthing did not start (see st-%s.log)" % name)
                time.sleep(0.2)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.gui, path), data=data, method=method,
                                     headers={"X-API-Key": self.apikey, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
            return json.loads(text) if text.strip() else None

    def get(self, path):
        return self.request("GET", path)

    def add_device(self, other):
        self.request("POST", "/rest/config/devices",
                     {"deviceID": other.id, "name": other.home, "addresses": ["tcp://127.0.0.1:%d" % other.listen]})

    def add_folder(self, path, devices):
        self.request("POST", "/rest/config/folders",
                     {"id": "backchannel-team", "label": "backchannel-team", "path": path, "type": "sendreceive",
                      "fsWatcherEnabled": True, "fsWatcherDelayS": 1, "rescanIntervalS": 3600,
                      "devices": [{"deviceID": d.id} for d in devices]})

    def pause(self, other=None):
        """Stops talking to `other` (every device when None), as a cut cable would."""
        self.request("POST", "/rest/system/pause" + ("?device=" + other.id if other else ""))

    def resume(self, other=None):
        self.request("POST", "/rest/system/resume" + ("?device=" + other.id if other else ""))

    def connected(self, other):
        return bool(self.get("/rest/system/connections")["connections"].get(other.id, {}).get("connected"))

    def only_loopback(self):
        for dev, c in self.get("/rest/system/connections")["connections"].items():
            if c.get("connected") and not c.get("address", "").startswith("127.0.0.1:"):
                fail("a daemon connected to " + c.get("address", "?"))

    def stop(self):
        try:
            self.request("POST", "/rest/system/shutdown")
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def cli(vault, *args, check=True):
    r = subprocess.run([CLI, *args], capture_output=True, text=True, env=vault_env(vault), timeout=120)
    if check and r.returncode != 0:
        fail("`%s` exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return r


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    fail("timed out waiting for " + what)


def bundles(folder):
    out = []
    for d, _, files in os.walk(folder):
        out += [os.path.join(d, f) for f in files if f.endswith(".age")]
    return out




def mesh(daemons, folders):
    """Every daemon knows every other and shares its folder (one per daemon) with all of them."""
    for d in daemons:
        for o in daemons:
            if o is not d:
                d.add_device(o)
    for d, f in zip(daemons, folders):
        d.add_folder(f, daemons)
    for d in daemons:
        for o in daemons:
            if o is not d:
                wait_for("the daemons to connect on loopback", lambda: d.connected(o), 60)
    for d in daemons:
        d.only_loopback()


def folder_state(folder):
    """The bundle files of a folder by path, with a hash of each (engine files left out)."""
    out = {}
    for path in bundles(folder):
        rel = os.path.relpath(path, folder)
        if ".sync-conflict-" in rel or rel.startswith(".st"):
            continue
        try:
            with open(path, "rb") as f:
                out[rel] = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            pass
    return out


def digests(vault, folder):
    return [l for l in cli(vault, "sync", "status", "--folder", folder).stdout.splitlines() if l.startswith("digest ")]


def sync_counts(out):
    """The numbers of `sync`'s one line."""
    words = out.replace(",", "").split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def make_team(root, vaults, folders):
    """vaults[0] imports the sample meeting and shares it; the others join through their folders.
    Returns the series id."""
    for v in vaults:
        cli(v, "init", "--kdf", "interactive")
    a, fa = vaults[0], folders[0]
    cli(a, "import-meeting", SAMPLE)
    series = json.loads(cli(a, "series", "--json").stdout)[0]["id"]
    cli(a, "team", "create", "--series", str(series))
    fp_a = cli(a, "identity", "--fingerprint").stdout.strip()
    for i, v in enumerate(vaults[1:], 1):
        idfile = os.path.join(root, "member-%d.json" % i)
        with open(idfile, "w") as f:
            f.write(cli(v, "identity", "--json").stdout)
        fp = cli(v, "identity", "--fingerprint").stdout.strip()
        cli(a, "team", "add", "--series", str(series), "--identity", idfile, "--fingerprint", fp)
    cli(a, "sync", "--folder", fa)
    for v, f in zip(vaults[1:], folders[1:]):
        wait_for("the convenor's snapshot to reach a member's folder", lambda: len(bundles(f)) >= 1, 60)
        time.sleep(0.3)
        cli(v, "sync", "--folder", f)
        cli(v, "team", "accept", "--fingerprint", fp_a)
    return series


def settle(vaults, folders, timeout=90):
    """Syncs every vault until all folders hold the same bundles and every vault has the same digest."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        published = 0
        for v, f in zip(vaults, folders):
            r = cli(v, "sync", "--folder", f, check=False)
            if r.returncode != 0:
                fail("sync exited %d: %s" % (r.returncode, r.stderr.strip()))
            published += sync_counts(r.stdout).get("published", 0)
        # Let the engine carry what was just written everywhere.
        same_since = None
        while time.time() < deadline:
            states = [folder_state(f) for f in folders]
            if all(s == states[0] for s in states):
                if same_since is None:
                    same_since = time.time()
                elif time.time() - same_since > 1.5:
                    break
            else:
                same_since = None
            time.sleep(0.25)
        if published == 0:
            ds = [digests(v, f) for v, f in zip(vaults, folders)]
            if ds[0] and all(d == ds[0] for d in ds):
                return ds[0]
    fail("the vaults did not converge within %d s" % timeout)
