#!/usr/bin/env bash
# Verdict parity of our IEC 62325-451 schemas (xsd/iec62325) with the official ENTSO-E schemas.
#
#   tools/conformance/xsd-parity.sh [officialDir] [samplesDir]        (run from the repository root)
#     officialDir  official XSDs (CIM XSD package + code list)      default ../shared/conformance/iec62325
#     samplesDir   real instance documents                           default ../shared/samples/iec62325
#                  (skipped with a note when the default does not exist; an explicit one must exist)
#
# Every fixture in test/conformance/fixtures/iec62325 and every *.xml in samplesDir is validated with xmllint
# against BOTH our schema and the official schema of its namespace (the one whose targetNamespace is the
# namespace of the document's root element). A namespace without a schema counts as invalid ("no schema").
# Fails (exit 1) when the two verdicts differ, or when a fixture's verdict differs from its name
# (<doc>_<version>.valid.<n>.xml / .invalid.<n>.xml). Prints one table row per document; the last column says
# whether xmllint's first error message is also the same on both sides (informational).
# Then, when node is there, runs tools/conformance/xsd-structure-diff.mjs (component-by-component comparison
# with the official schemas) and tools/conformance/fixture-coverage.mjs (every declared element occurs in a
# valid fixture; every schema has valid and invalid fixtures).
# Needs xmllint (Debian/Ubuntu: apt-get install libxml2-utils) and bash 4.
set -uo pipefail

if [[ ! -f package.json || ! -d xsd/iec62325 ]]; then
  echo "xsd-parity: run from the repository root (xsd/iec62325 not found in $(pwd))" >&2
  exit 2
fi
command -v xmllint >/dev/null || { echo "xsd-parity: xmllint not found (apt-get install libxml2-utils)" >&2; exit 2; }

official="${1:-../shared/conformance/iec62325}"
samples="${2:-../shared/samples/iec62325}"
ours="xsd/iec62325"
fixtures="test/conformance/fixtures/iec62325"
[[ -d "$official" ]] || { echo "xsd-parity: official schema directory $official not found" >&2; exit 2; }
if [[ ! -d "$samples" ]]; then
  if [[ $# -ge 2 ]]; then echo "xsd-parity: samples directory $samples not found" >&2; exit 2; fi
  echo "note: no samples directory at $samples; validating the fixtures only"
  samples=""
fi

# targetNamespace -> schema file, for one directory.
declare -A OURS OFFICIAL
# shellcheck disable=SC2034 # map is a nameref: the writes go to OURS or OFFICIAL
index_schemas() {
  local -n map=$1
  local f ns
  for f in "$2"/*.xsd; do
    ns=$(xmllint --xpath 'string(/*/@targetNamespace)' "$f" 2>/dev/null) || continue
    [[ -n "$ns" ]] && map["$ns"]="$f"
  done
}
index_schemas OURS "$ours"
index_schemas OFFICIAL "$official"

# validate <schema-or-empty> <file>: sets VERDICT (valid|invalid) and FIRST_ERROR (file name stripped).
validate() {
  local schema=$1 file=$2 out rc
  if [[ -z "$schema" ]]; then
    VERDICT=invalid
    FIRST_ERROR="no schema for this namespace"
    return
  fi
  out=$(xmllint --noout --nonet --schema "$schema" "$file" 2>&1)
  rc=$?
  case $rc in
    0) VERDICT=valid ;;
    1 | 3 | 4) VERDICT=invalid ;; # 1: not well-formed, 3: not valid, 4: validation could not run on it
    *)
      echo "xsd-parity: xmllint failed on schema $schema (exit $rc):" >&2
      echo "$out" >&2
      exit 2
      ;;
  esac
  FIRST_ERROR=$(printf '%s\n' "$out" | grep -v -e ' validates$' -e ' fails to validate$' | head -n 1)
  FIRST_ERROR=${FIRST_ERROR//"$file"/}
}

short_ns() { # urn:iec62325.351:tc57wg16:451-6:outagedocument:4:1 -> outagedocument:4:1
  local ns=$1
  [[ -z "$ns" ]] && { echo "(not XML)"; return; }
  echo "${ns#urn:iec62325.351:tc57wg16:*:}"
}

files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$fixtures" -name '*.xml' | sort)
if [[ -n "$samples" ]]; then
  while IFS= read -r f; do files+=("$f"); done < <(find "$samples" -maxdepth 1 -name '*.xml' | sort)
fi
[[ ${#files[@]} -gt 0 ]] || { echo "xsd-parity: no documents found" >&2; exit 2; }

fmt='%-58s %-34s %-8s %-8s %-8s %-6s %s\n'
# shellcheck disable=SC2059
printf "$fmt" document namespace expected ours official result "first error"
failures=0 same_errors=0 n_valid=0 n_invalid=0
for f in "${files[@]}"; do
  name=${f##*/}
  case $name in
    *.valid.*.xml) expected=valid ;;
    *.invalid.*.xml) expected=invalid ;;
    *) expected=- ;;
  esac
  ns=$(xmllint --xpath 'namespace-uri(/*)' "$f" 2>/dev/null) || ns=""
  validate "${OURS[$ns]:-}" "$f"
  ours_verdict=$VERDICT ours_error=$FIRST_ERROR
  validate "${OFFICIAL[$ns]:-}" "$f"
  official_verdict=$VERDICT official_error=$FIRST_ERROR

  result=ok
  if [[ $ours_verdict != "$official_verdict" ]]; then
    result=DIFFER
  elif [[ $expected != - && $expected != "$ours_verdict" ]]; then
    result=NAME
  fi
  [[ $result == ok ]] || failures=$((failures + 1))
  [[ $ours_verdict == valid ]] && n_valid=$((n_valid + 1)) || n_invalid=$((n_invalid + 1))
  if [[ $ours_error == "$official_error" ]]; then
    same_errors=$((same_errors + 1))
    errors=$([[ -z $ours_error ]] && echo "-" || echo "same")
  else
    errors="differs"
  fi
  # shellcheck disable=SC2059
  printf "$fmt" "$name" "$(short_ns "$ns")" "$expected" "$ours_verdict" "$official_verdict" "$result" "$errors"
  if [[ $result != ok || $errors == differs ]]; then
    echo "    ours:     ${ours_error:-(none)}"
    echo "    official: ${official_error:-(none)}"
  fi
done

echo
echo "documents: ${#files[@]} (valid: $n_valid, invalid: $n_invalid); verdict mismatches: $failures;" \
  "same first error message: $same_errors/${#files[@]}"
if command -v node >/dev/null; then
  node tools/conformance/xsd-structure-diff.mjs "$ours" "$official" || failures=$((failures + 1))
  node tools/conformance/fixture-coverage.mjs "$ours" "$fixtures" || failures=$((failures + 1))
else
  echo "note: node not found; structural comparison and fixture coverage skipped"
fi
if [[ $failures -gt 0 ]]; then
  echo "xsd-parity: FAILED" >&2
  exit 1
fi
echo "xsd-parity: ok"
