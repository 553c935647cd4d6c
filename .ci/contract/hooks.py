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
    unique_idempotency_key(case)
    short_long_poll(case)


def unique_idempotency_key(case):
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


def short_long_poll(case):
    """`GET /events?wait=N` holds the request up to N seconds (0 to 30) when nothing is new,
    which is its purpose; the fuzzer's cases wait at most one second so that the run stays
    short. The long poll itself is covered by the scenario tests."""
    query = case.query or {}
    if case.formatted_path.endswith("/events") and "wait" in query:
        wait = str(query["wait"])
        # Only a valid wait is shortened: an invalid one must still be refused.
        if wait.isdigit() and int(wait) <= 30:
            query["wait"] = min(int(wait), 1)
            case.query = query
