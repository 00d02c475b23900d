#!/bin/bash
# ts-schema: every JSON document the other tests of this run got from
# ipcinspect (copied into $IPCI_JSON_DIR by tests/lib.sh json_keep: list,
# orphans, limits, clean, rm and restore, from every live test) must be
# valid against doc/ipcinspect.schema.json, the contract of
# ipcinspect-json(5).  One python3 process validates them all and says
# how many; none at all is a failure too (the copies did not happen).
# Needs no namespace and no IPC object.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source=tests/lib.sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"
: "${IPCI_JSON_DIR:?IPCI_JSON_DIR must name the directory of the copies}"

SCHEMA=$TOP_SRCDIR/doc/ipcinspect.schema.json
python3 -c 'import jsonschema' 2>/dev/null ||
	skip_all "python3-jsonschema is not installed"

# validate SCHEMA DIR: "ok N" per valid document's name, or "not ok" with
# the path of the first error, for each DIR/*.json; then "checked N"
validate() {
	python3 - "$1" "$2" <<'PY'
import json, os, sys
from jsonschema import Draft202012Validator
schema_path, d = sys.argv[1], sys.argv[2]
with open(schema_path) as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
n = bad = 0
for name in sorted(os.listdir(d)):
    if not name.endswith('.json'):
        continue
    n += 1
    path = os.path.join(d, name)
    try:
        with open(path, 'rb') as f:
            doc = json.loads(f.read().decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as e:
        bad += 1
        print('bad %s: not JSON: %s' % (name, e))
        continue
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errs:
        bad += 1
        args = ''
        try:
            with open(path[:-5] + '.args') as f:
                args = f.read().strip()
        except OSError:
            pass
        e = errs[0]
        print('bad %s (ipcinspect %s): %d errors, first at /%s: %s' % (
            name, args, len(errs), '/'.join(str(p) for p in e.absolute_path),
            e.message[:300]))
print('checked %d %d' % (n, bad))
PY
}

[ -r "$SCHEMA" ] || bail "cannot read $SCHEMA"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$SCHEMA"
ok $? "doc/ipcinspect.schema.json is JSON"

out=$(validate "$SCHEMA" "$IPCI_JSON_DIR") || bail "the validator failed: $out"
printf '%s\n' "$out" | grep '^bad ' | head -n 20 | sed 's/^/# /'
read -r _ n bad <<<"$(printf '%s\n' "$out" | grep '^checked ')"
echo "# documents validated: $n, invalid: $bad"
[ "${n:-0}" -gt 0 ]
ok $? "the other tests left JSON documents to validate ($n)"
is "$bad" 0 "every one of the $n documents is valid against the schema"

# The check can fail: a copy of a document with one value of the wrong
# type (a number where the schema wants a string or the other way round)
# must be refused.
TMP=$(mktemp -d) || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
first=$(find "$IPCI_JSON_DIR" -name '*.json' | sort | head -n 1)
if [ -n "$first" ]; then
	jq '.schema = "1"' "$first" >"$TMP/broken.json" || bail "jq failed on $first"
	out=$(validate "$SCHEMA" "$TMP")
	case $out in
	*"checked 1 1"*) ok 0 "a document whose schema member is a string is refused" ;;
	*) ok 1 "a document whose schema member is a string is refused ($out)" ;;
	esac
fi

done_testing
