"""A Syncthing daemon for tests and demos, started with its own home and kept on the loopback
interface: GUI/API and listen address on 127.0.0.1, global and local discovery, relays, NAT
traversal, usage and crash reporting and upgrades off. Devices and folders are set through the
REST API (fsWatcherDelayS 1). Used by tests/cli/syncthing_test.py and scripts/team-demo.
"""
import json
import os
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Syncthing:
    def __init__(self, root, name):
        self.home = os.path.join(root, "st-" + name)
        self.gui = free_port()
        self.listen = free_port()
        env = dict(os.environ, STNODEFAULTFOLDER="1", STNOUPGRADE="1")
        out = subprocess.run(["syncthing", "generate", "--home=" + self.home], capture_output=True, text=True, env=env, timeout=60)
        if out.returncode != 0:
            raise RuntimeError("syncthing generate: " + out.stderr)
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
                    raise RuntimeError("syncthing did not start (see %s)" % self.log.name)
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

    def stop(self):
        try:
            self.request("POST", "/rest/system/shutdown")
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
