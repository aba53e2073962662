"""Schemathesis hooks for scripts/fuzz/run-api-fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

Schemathesis reuses identifiers it saw in responses, so GET /v1/admin/keys hands it the id of the
key it authenticates with, and a later DELETE /v1/admin/keys/{id} or POST .../{id}/rotate revokes
that key: every request after it is a 401 and the rest of the run tests nothing. This drops exactly
those cases; every other id (random ones, and the keys the fuzzer issued itself) is still fuzzed.
"""

import os

import schemathesis

PROTECTED_KEY_ID = os.environ["FUZZ_PROTECTED_KEY_ID"]


@schemathesis.hook
def filter_case(context, case):
    if not case.operation.path.startswith("/v1/admin/keys/{id}"):
        return True
    return str((case.path_parameters or {}).get("id")) != PROTECTED_KEY_ID
