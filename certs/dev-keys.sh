#!/usr/bin/env bash
# Creates a complete DEVELOPMENT key set with the tps-hub CLI:
#   - a component-directory CA (ECDSA P-256)            <OUT>/keys/ca/ca.crt, ca.key
#   - one endpoint, registered in the directory, with its
#     authentication (P-256), signing (Ed25519) and
#     encryption (X25519) certificates and private keys <OUT>/<endpoint code>/*.crt, *.key
#   - a published, signed directory document            <OUT>/directory.jws
#
# Usage: certs/dev-keys.sh [OUT]        (default: <repo>/data/dev-certs, which git ignores)
#
# Everything goes under OUT: the embedded database (OUT/pglite) and every key. Private keys are
# written with mode 0600 in 0700 folders, and the CLI refuses to write keys anywhere inside the
# source tree except its git-ignored data/ folder. Never commit what this creates; never use it
# in production (production keys are created on the hosts that use them).
#
# Environment: TPS_HUB overrides the command (default: node <repo>/dist/src/app/cli.js; run
# `npm run build` first). The codes below are development codes with valid EIC check characters.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/dev-certs}"

DIRECTORY_CODE="${DIRECTORY_CODE:-10V-TPS-HUB-CD-R}"
ENDPOINT_CODE="${ENDPOINT_CODE:-10V-TPS-HUB-EP1G}"
ORGANISATION_CODE="${ORGANISATION_CODE:-10X-TPS-HUB-ORGN}"

if [ -e "$OUT/keys/ca/ca.key" ]; then
  echo "dev-keys: $OUT already holds a development CA; remove the folder to start over" >&2
  exit 1
fi
mkdir -p "$OUT"
chmod 700 "$OUT"
OUT="$(cd "$OUT" && pwd)"

# Embedded database and keys in OUT, whatever the caller's environment says.
export DATA_DIR="$OUT"
export DATABASE_URL=""
export DATABASE_SCHEMA=""
unset TPS_HUB_CONFIG || true

hub() {
  if [ -n "${TPS_HUB:-}" ]; then
    # shellcheck disable=SC2086 # TPS_HUB is a command line, split on purpose
    $TPS_HUB "$@"
  else
    node "$ROOT/dist/src/app/cli.js" "$@"
  fi
}

echo "==> directory CA $DIRECTORY_CODE"
hub certs init-ca --code "$DIRECTORY_CODE" --org "tps-hub development CA"

echo "==> endpoint $ENDPOINT_CODE"
hub directory register --code "$ENDPOINT_CODE" --type endpoint --org "tps-hub development endpoint" \
  --org-code "$ORGANISATION_CODE" --roles A52,A08 --url https://localhost:8443
hub directory path set --receiver "$ENDPOINT_CODE" --message-type '*' --senders '*' --direct

for usage in authentication signing encryption; do
  echo "==> $usage certificate"
  hub certs issue --component "$ENDPOINT_CODE" --usage "$usage" --out "$OUT/$ENDPOINT_CODE"
done

echo "==> directory document"
hub directory publish
hub directory document --out "$OUT/directory.jws"

echo
echo "development set in $OUT:"
(cd "$OUT" && find . -path ./pglite -prune -o -type f -print | sort | sed 's/^/  /')
