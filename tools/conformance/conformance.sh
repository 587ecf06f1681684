#!/usr/bin/env bash
# Conformance against the official schemas, with xmllint (libxml2-utils) as the independent
# validator. Run from the repository root after `npm run build`:
#   bash tools/conformance/conformance.sh [SHARED_DIR]     (default ../shared)
# 1. our IEC 62325 XSDs give the same verdicts as the official ones (fixtures + samples)
# 2. our UFTP 3.1.0 XSDs give the same verdicts as the official ones
# 3. every document the IEC 62325 builders produce for the test fixtures is valid against the
#    OFFICIAL schema of its namespace
# 4. every shared sample is classified right by `tps-hub validate` (the invalid one with its lines)
set -euo pipefail
SHARED="${1:-../shared}"
IEC="$SHARED/conformance/iec62325"
UFTP="$SHARED/conformance/uftp"
SAMPLES="$SHARED/samples/iec62325"
command -v xmllint >/dev/null || { echo "xmllint missing: apt-get install -y libxml2-utils" >&2; exit 2; }

echo "--- 1. IEC 62325 schema parity"
bash tools/conformance/xsd-parity.sh "$IEC"

echo "--- 2. UFTP 3.1.0 schema parity"
bash tools/conformance/uftp-parity.sh "$UFTP"

echo "--- 3. builder output against the official IEC 62325 schemas"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node tools/conformance/emit-builder-documents.mjs "$out"
declare -A schema_of
for xsd in "$IEC"/*.xsd; do
  ns=$(grep -o 'targetNamespace="[^"]*"' "$xsd" | head -1 | cut -d'"' -f2 || true)
  [ -n "$ns" ] && schema_of["$ns"]="$xsd"
done
count=0; bad=0
for f in "$out"/*.xml; do
  ns=$(grep -o 'xmlns="[^"]*"' "$f" | head -1 | cut -d'"' -f2)
  xsd="${schema_of[$ns]:-}"
  if [ -z "$xsd" ]; then echo "no official schema for $ns ($f)"; bad=$((bad+1)); continue; fi
  if ! xmllint --noout --nonet --schema "$xsd" "$f" 2>"$out/.err"; then
    echo "INVALID against the official schema: $(basename "$f")"; cat "$out/.err"; bad=$((bad+1))
  fi
  count=$((count+1))
done
echo "builder documents: $count checked, $bad invalid"
[ "$count" -gt 0 ] && [ "$bad" -eq 0 ]

echo "--- 4. tps-hub validate classifies the shared samples"
valid=(); invalid=()
for f in "$SAMPLES"/*.xml; do
  case "$(basename "$f")" in
    hexagon__unavailability.consumption.xml) invalid+=("$f") ;;
    *) valid+=("$f") ;;
  esac
done
node dist/src/app/cli.js validate "${valid[@]}"
set +e
report=$(node dist/src/app/cli.js validate "${invalid[@]}")
code=$?
set -e
echo "$report"
[ "$code" -eq 1 ] || { echo "expected exit 1 for the invalid sample, got $code"; exit 1; }
echo "$report" | grep -q ':55:' && echo "$report" | grep -q ':74:' \
  || { echo "the invalid sample's errors at lines 55 and 74 were not reported"; exit 1; }
echo "samples: ${#valid[@]} valid, ${#invalid[@]} invalid with lines 55 and 74 — as expected"
echo "conformance: PASS"
