"""Ask each peer about each exported adversarial case; print {case: {peer: {verified, said}}} as JSON.

A peer is asked only where it can have an opinion: ob3-verify (Digital Bazaar) on every OB 3.0 case, with
the case's documents given as --doc; ob3-py (openbadgeslib) and dcc-verify (DCC) only where the key comes
from a did:key, since neither can be handed an https controller document; ob2-validate (1EdTech) on OB 2.0
cases, which carry an `ob2.json` manifest instead.

An `ob2.json` case (written by `Ob2Case::export` in crates/obi-verify/tests/adversarial/support.rs) is
`{"presented": {"url": U} | {"json": J} | {"jws": PAYLOAD, "key": PRIVATE_RSA_JWK}, "docs": {URL: DOC},
"redirects": {URL: TARGET}}`, its URLs on two origins written `{{BASE}}` / `{{BASE2}}` (and their
authorities `{{HOST}}` / `{{HOST2}}`). Two http.server instances on 127.0.0.1 serve it here, the
placeholders filled in with their ports; a JWS is signed here (RS256) once the origins are known. The
validator's answer is `{"verified": report.valid, "said": "<task>: <its first error>"}`, with the ports
written back as placeholders so that the stored text does not change from run to run.
"""
import base64
import hashlib
import http.server
import json
import os
import posixpath
import subprocess
import sys
import threading
from urllib.parse import urlsplit

NOW = "2026-11-28T00:00:00Z"


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {"verified": False, "errors": [(p.stderr or p.stdout).strip()[-300:]]}


def said(res):
    errs = res.get("errors") or []
    text = "; ".join(e if isinstance(e, str) else json.dumps(e) for e in errs)
    return text[:300]


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")


def sign_rs256(payload, jwk):
    """A compact RS256 JWS of `payload` (JSON) with the private RSA JWK (n, e, d): PKCS#1 v1.5 by hand."""
    n, d = unb64u(jwk["n"]), unb64u(jwk["d"])
    k = (n.bit_length() + 7) // 8
    signing_input = b64u(json.dumps({"alg": "RS256", "typ": "JWT"}).encode()) + "." + b64u(
        json.dumps(payload).encode())
    # DigestInfo for SHA-256, then EMSA-PKCS1-v1_5 padding.
    t = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(signing_input.encode()).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    sig = pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")
    return signing_input + "." + b64u(sig)


def normal_path(path):
    """The path (and query) with dot segments removed, as a client may or may not have done."""
    parts = urlsplit(path)
    p = posixpath.normpath(parts.path) if parts.path else "/"
    if parts.path.endswith("/") and p != "/":
        p += "/"
    return p + ("?" + parts.query if parts.query else "")


class Servers:
    """Two loopback HTTP servers answering an ob2.json case's documents and redirects."""

    def __init__(self, case):
        self.routes = [{}, {}]
        servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler(i)) for i in range(2)]
        self.servers = servers
        self.bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
        for url, doc in case["docs"].items():
            self.route(url, (200, self.fill(json.dumps(doc))))
        for url, target in case["redirects"].items():
            self.route(url, (302, self.fill(target)))
        for s in servers:
            threading.Thread(target=s.serve_forever, daemon=True).start()

    def fill(self, text):
        b = self.bases
        return (text.replace("{{BASE2}}", b[1]).replace("{{BASE}}", b[0])
                .replace("{{HOST2}}", b[1][len("http://"):]).replace("{{HOST}}", b[0][len("http://"):]))

    def route(self, url, reply):
        i = 1 if url.startswith("{{BASE2}}") else 0
        parts = urlsplit(self.fill(url))
        self.routes[i][normal_path(parts.path + ("?" + parts.query if parts.query else ""))] = reply

    def handler(self, i):
        routes = self.routes

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = routes[i].get(normal_path(self.path), (404, ""))
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", body)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return H

    def close(self):
        for s in self.servers:
            s.shutdown()
            s.server_close()


def ask_ob2_validate(path, bin_dir):
    """Serve the case's documents, run the 1EdTech validator on what it presents: {verified, said}."""
    case = json.load(open(path))
    servers = Servers(case)
    try:
        p = case["presented"]
        if "url" in p:
            data = servers.fill(p["url"])
        elif "json" in p:
            data = servers.fill(json.dumps(p["json"]))
        else:
            data = sign_rs256(json.loads(servers.fill(json.dumps(p["jws"]))), p["key"])
        try:
            proc = subprocess.run([os.path.join(bin_dir, "ob2-validate"), "--report-only", "--data", data],
                                  capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return None
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            return {"verified": False, "said": ("raised: " + (proc.stderr or proc.stdout).strip()[-300:])}
        errors = [m for m in report.get("messages", []) if m.get("messageLevel") == "ERROR"]
        first = errors[0] if errors else None
        text = f"{first.get('name')}: {first.get('result')}" if first else ""
        # The origins differ from run to run: keep the stored text stable.
        for i, b in enumerate(servers.bases):
            text = text.replace(b, "{{BASE2}}" if i else "{{BASE}}").replace(
                b[len("http://"):], "{{HOST2}}" if i else "{{HOST}}")
        return {"verified": bool(report.get("valid")), "said": text[:300]}
    finally:
        servers.close()


def main(cases, bin_dir):
    out = {}
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        answers = {}
        ob2 = os.path.join(d, "ob2.json")
        if os.path.exists(ob2):
            res = ask_ob2_validate(ob2, bin_dir)
            if res is not None:
                answers["ob2-validate"] = res
            out[name] = answers
            continue
        docs = json.load(open(os.path.join(d, "docs.json")))
        cred = os.path.join(d, "credential.json")
        jwt = os.path.join(d, "credential.jwt")
        presented = cred if os.path.exists(cred) else jwt
        text = open(presented).read()
        doc_args = []
        for url, f in docs:
            doc_args += ["--doc", f"{url}={os.path.join(d, f)}"]
        res = run([os.path.join(bin_dir, "ob3-verify"), "--now", NOW] + doc_args + [presented])
        if res is not None:
            answers["ob3-verify"] = {"verified": bool(res.get("verified")), "said": said(res)}
        did_key = "did:key:" in text
        if did_key:
            args = ["verify", presented] + (["--resolve-did"] if presented == jwt else [])
            res = run([os.path.join(bin_dir, "ob3-py")] + args)
            if res is not None:
                answers["ob3-py"] = {"verified": bool(res.get("verified")), "said": said(res)}
            if presented == cred:
                res = run([os.path.join(bin_dir, "dcc-verify"), presented])
                if res is not None:
                    # DCC cannot fetch the JSON Schemas offline; its verdict on the proof is what counts.
                    answers["dcc-verify"] = {"verified": bool(res.get("verified")), "said": said(res)}
        out[name] = answers
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
