#!/bin/bash
# ts-schema: every JSON document the other tests of this run got from
# ipcinspect (copied into $IPCI_JSON_DIR by tests/lib.sh json_keep: list,
# orphans, limits, clean, rm and restore, from every live test) must be
# valid against doc/ipcinspect.schema.json, the contract of
# ipcinspect-json(5); watch --json's JSON Lines line by line, each an
# event of $defs/watch_event whose other members are valid as the kind's
# objects.  One python3 process validates them all and says
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
def sub(ref):
    return Draft202012Validator({'$defs': schema['$defs'], '$ref': ref})
watch_v = sub('#/$defs/watch_event')
def item_ref(kind):
    """the schema of one object of kind, in a listing's array"""
    k = schema['$defs']['kinds'][kind]
    if 'items' in k:
        return '#/$defs/kinds/%s/items' % kind
    i = next(i for i, b in enumerate(k['anyOf']) if 'items' in b)
    return '#/$defs/kinds/%s/anyOf/%d/items' % (kind, i)

ENVELOPE = ('event', 'time', 'ipc_ns', 'kind', 'pids', 'previous', 'actor')

def watch_errors(text):
    """watch --json: JSON Lines; each line an event, its object members
    valid as the kind's objects of a listing"""
    errs = []
    lines = text.split('\n')
    if lines[-1] != '':
        raise ValueError('the last line is not complete')
    for line in lines[:-1]:
        ev = json.loads(line)
        errs += list(watch_v.iter_errors(ev))
        if isinstance(ev, dict) and ev.get('kind') not in (None, 'limits'):
            obj = {k: x for k, x in ev.items() if k not in ENVELOPE}
            errs += list(sub(item_ref(ev['kind'])).iter_errors(obj))
    return errs

for name in sorted(os.listdir(d)):
    if not name.endswith('.json'):
        continue
    n += 1
    path = os.path.join(d, name)
    args = ''
    try:
        with open(path[:-5] + '.args') as f:
            args = f.read().strip()
    except OSError:
        pass
    try:
        with open(path, 'rb') as f:
            text = f.read().decode('utf-8')
        if args.split(' ')[0] == 'watch':
            errs = watch_errors(text)
        else:
            errs = list(v.iter_errors(json.loads(text)))
    except (ValueError, UnicodeDecodeError) as e:
        bad += 1
        print('bad %s: not JSON: %s' % (name, e))
        continue
    errs = sorted(errs, key=lambda e: list(e.absolute_path))
    if errs:
        bad += 1
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
