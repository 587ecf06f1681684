#!/usr/bin/env bash
# UFTP 3.1.0 schema parity check.
#
# For every fixture test/conformance/fixtures/uftp/3.1.0/<Message>.(valid|invalid).<n>.xml:
#   - verdict against OUR entry schema xsd/uftp/3.1.0/UFTP-3.1.0.xsd;
#   - verdict against the OFFICIAL 3.1.0 role entry schemas UFTP-agr.xsd, UFTP-dso.xsd and UFTP-cro.xsd
#     (officially valid = valid against at least one of them; the role schemas declare different subsets
#     of the messages, e.g. Metering is only in agr and dso, the portfolio messages only in their pair);
#   - the expected verdict from the file name.
# Fails if any of the three disagree. Then compares the two schema sets structurally
# (tools/conformance/uftp-xsd-structure.mjs), which is what makes the parity hold beyond the fixtures.
#
# Usage (from the repository root): tools/conformance/uftp-parity.sh [OFFICIAL_DIR]
#   OFFICIAL_DIR defaults to ../shared/conformance/uftp (the released 3.1.0 files at its top level).
# Needs xmllint (Debian/Ubuntu: apt-get install -y libxml2-utils) and node for the structural check.
set -euo pipefail

OFFICIAL_DIR="${1:-../shared/conformance/uftp}"
OURS="xsd/uftp/3.1.0/UFTP-3.1.0.xsd"
FIXTURES="test/conformance/fixtures/uftp/3.1.0"
ROLES=(agr dso cro)

die() { echo "uftp-parity: $*" >&2; exit 2; }
command -v xmllint >/dev/null || die "xmllint not found (apt-get install -y libxml2-utils)"
[[ -f "$OURS" ]] || die "run from the repository root ($OURS not found)"
[[ -d "$FIXTURES" ]] || die "$FIXTURES not found"
for r in "${ROLES[@]}"; do [[ -f "$OFFICIAL_DIR/UFTP-$r.xsd" ]] || die "$OFFICIAL_DIR/UFTP-$r.xsd not found"; done

shopt -s nullglob
files=("$FIXTURES"/*.xml)
(( ${#files[@]} > 0 )) || die "no fixtures in $FIXTURES"

# Validates all fixtures against one schema in a single xmllint run and prints "<file> <ok|no>" lines.
# A file without a "validates" line (schema error, unparsable XML) counts as invalid.
verdicts() {
  local schema="$1" out
  out="$(xmllint --noout --nonet --schema "$schema" "${files[@]}" 2>&1 || true)"
  if grep -q "WXS schema .* failed to compile" <<<"$out"; then die "schema $schema failed to compile"; fi
  local f
  for f in "${files[@]}"; do
    if grep -qxF "$f validates" <<<"$out"; then echo "$f ok"; else echo "$f no"; fi
  done
}

declare -A OUR OFF_agr OFF_dso OFF_cro
while read -r f v; do OUR[$f]=$v; done < <(verdicts "$OURS")
while read -r f v; do OFF_agr[$f]=$v; done < <(verdicts "$OFFICIAL_DIR/UFTP-agr.xsd")
while read -r f v; do OFF_dso[$f]=$v; done < <(verdicts "$OFFICIAL_DIR/UFTP-dso.xsd")
while read -r f v; do OFF_cro[$f]=$v; done < <(verdicts "$OFFICIAL_DIR/UFTP-cro.xsd")

fail=0 n_valid=0 n_invalid=0
printf '%-46s %-8s %-8s %-8s %-12s %s\n' "fixture" "expected" "ours" "official" "accepted-by" "result"
printf '%-46s %-8s %-8s %-8s %-12s %s\n' "-------" "--------" "----" "--------" "-----------" "------"
for f in "${files[@]}"; do
  name="$(basename "$f")"
  case "$name" in
    *.valid.[0-9]*.xml) expected=valid; n_valid=$((n_valid + 1)) ;;
    *.invalid.[0-9]*.xml) expected=invalid; n_invalid=$((n_invalid + 1)) ;;
    *) printf '%-46s %s\n' "$name" "BAD NAME (want <Message>.valid.<n>.xml or <Message>.invalid.<n>.xml)"; fail=1; continue ;;
  esac
  ours=invalid; [[ "${OUR[$f]}" == ok ]] && ours=valid
  accepted=""
  [[ "${OFF_agr[$f]}" == ok ]] && accepted+="agr,"
  [[ "${OFF_dso[$f]}" == ok ]] && accepted+="dso,"
  [[ "${OFF_cro[$f]}" == ok ]] && accepted+="cro,"
  accepted="${accepted%,}"
  official=invalid; [[ -n "$accepted" ]] && official=valid
  result=ok
  if [[ "$ours" != "$official" ]]; then result="MISMATCH ours/official"; fail=1
  elif [[ "$ours" != "$expected" ]]; then result="MISMATCH with file name"; fail=1; fi
  printf '%-46s %-8s %-8s %-8s %-12s %s\n' "$name" "$expected" "$ours" "$official" "${accepted:--}" "$result"
done
echo
echo "fixtures: ${#files[@]} (${n_valid} valid, ${n_invalid} invalid)"

structure=0
if command -v node >/dev/null; then
  node "$(dirname "$0")/uftp-xsd-structure.mjs" "$OURS" \
    "$OFFICIAL_DIR/UFTP-agr.xsd" "$OFFICIAL_DIR/UFTP-dso.xsd" "$OFFICIAL_DIR/UFTP-cro.xsd" || structure=1
else
  echo "structure: skipped (node not found)"
fi

if (( fail != 0 || structure != 0 )); then echo "uftp-parity: FAIL"; exit 1; fi
echo "uftp-parity: PASS (every verdict of ours equals the official one and the file name)"
