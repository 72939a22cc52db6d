"""Ask each peer about each exported adversarial case; print {case: {peer: {verified, said}}} as JSON.

A peer is asked only where it can have an opinion: ob3-verify (Digital Bazaar) on every OB 3.0 case, with
the case's documents given as --doc; ob3-py (openbadgeslib) and dcc-verify (DCC) only where the key comes
from a did:key, since neither can be handed an https controller document; ob2-validate (1EdTech) on OB 2.0
cases, which carry an `ob2.json` manifest instead.
"""
import json
import os
import subprocess
import sys

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


def main(cases, bin_dir):
    out = {}
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        answers = {}
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
