"""Schemathesis hooks for the Guwen contract run.

An Idempotency-Key makes a retry return the first response, and the same key with another body
is refused (422 idempotency_key_reused): a fuzzer drawing short keys from the header's pattern
reuses them across unrelated requests. Each generated key is therefore made unique to its
request (a digest of the drawn key, the operation and the body), keeping its shape.
"""

import hashlib
import json

import schemathesis


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if not isinstance(key, str) or not key:
        return
    try:
        body = json.dumps(case.body, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(case.body)
    seed = f"{key}|{case.method}|{case.formatted_path}|{case.path_parameters}|{body}"
    headers["Idempotency-Key"] = "st-" + hashlib.sha256(seed.encode()).hexdigest()[:40]
    case.headers = headers
