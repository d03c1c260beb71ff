#!/usr/bin/env bash
# with-s3.sh — run a command against a real, throwaway S3-compatible server.
#
# Usage: deploy/s3/with-s3.sh CMD [ARGS...]
#   e.g. deploy/s3/with-s3.sh go test ./connectors/lake/...
#
# If LEDGERLINE_S3_ENDPOINT is already set, CMD simply runs against it
# (with LEDGERLINE_S3_ACCESS_KEY, LEDGERLINE_S3_SECRET_KEY and
# LEDGERLINE_S3_SECURE as they are). Otherwise SeaweedFS is built (once,
# build.sh) and started (start.sh) on 127.0.0.1, the LEDGERLINE_S3_*
# variables are exported for CMD, and the server is always stopped
# afterwards (stop.sh). Exits with CMD's status.
#
# If the server cannot be started:
#   CI=true   exit non-zero: CI must test against a real S3 server.
#   otherwise warn loudly and run CMD without LEDGERLINE_S3_ENDPOINT, so
#             the S3 tests skip (see connectors/lake/objstore/s3test).
#
# Environment: see start.sh, stop.sh and build.sh (LEDGERLINE_S3_CACHE,
# LEDGERLINE_S3_START_TIMEOUT, LEDGERLINE_S3_KEEP_STATE, ...).
set -euo pipefail

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [[ -n "${LEDGERLINE_S3_ENDPOINT:-}" ]]; then
  echo "ledgerline: testing against the S3 server at $LEDGERLINE_S3_ENDPOINT (LEDGERLINE_S3_ENDPOINT)" >&2
  exec "$@"
fi


state="${LEDGERLINE_S3_STATE:-}"
if [[ -z "$state" ]]; then
  state="$(mktemp -d "${TMPDIR:-/tmp}/ledgerline-s3.XXXXXX")"
fi

stop_on_exit "$here/stop.sh" "$state"

unset LEDGERLINE_S3_ACCESS_KEY LEDGERLINE_S3_SECRET_KEY LEDGERLINE_S3_SECURE LEDGERLINE_S3_REGION
if addr="$(LEDGERLINE_S3_STATE="$state" LEDGERLINE_S3_OWNER_PID=$$ "$here/start.sh")" && [[ -f "$state/env" ]]; then
  # shellcheck disable=SC1091
  source "$state/env"
  export LEDGERLINE_S3_ENDPOINT LEDGERLINE_S3_ACCESS_KEY LEDGERLINE_S3_SECRET_KEY LEDGERLINE_S3_SECURE
  echo "ledgerline: testing against SeaweedFS $LEDGERLINE_S3_SEAWEEDFS_VERSION S3 at ${addr##*$'\n'}" >&2
else
  if in_ci; then
    echo "ledgerline: ERROR: could not start a real S3-compatible server and CI=true;" >&2
    echo "ledgerline: ERROR: refusing to run the tests without one (see the log above)." >&2
    exit 1
  fi
  cat >&2 <<'EOF'

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! ledgerline: WARNING: could not start a real S3-compatible server      !!
!! (see the log above). Running WITHOUT LEDGERLINE_S3_ENDPOINT: every    !!
!! S3 integration test will be SKIPPED. Under CI=true this would be a    !!
!! failure.                                                              !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

EOF
  unset LEDGERLINE_S3_ENDPOINT LEDGERLINE_S3_ACCESS_KEY LEDGERLINE_S3_SECRET_KEY LEDGERLINE_S3_SECURE
fi

set +e
"$@"
status=$?
set -e

if ((status != 0)) && [[ -s "$state/weed.log" ]] && grep -qE '^[EF][0-9]{4} ' "$state/weed.log"; then
  echo "ledgerline: command failed (status $status); server errors from $state/weed.log:" >&2
  grep -E '^[EF][0-9]{4} ' "$state/weed.log" | tail -n 20 >&2
fi
exit "$status"
