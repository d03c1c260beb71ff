#!/usr/bin/env bash
# stop.sh — stop a server started by start.sh and remove its state dir.
#
# Usage: deploy/s3/stop.sh [--keep] <state-dir>
#
# Sends SIGTERM, waits up to LEDGERLINE_S3_STOP_TIMEOUT seconds (default
# 5: the data is thrown away, and a clean shutdown can take 15 s), then
# SIGKILL. The state dir is removed unless --keep is given or
# LEDGERLINE_S3_KEEP_STATE=1; only dirs created by start.sh (marker file
# .ledgerline-s3-state) are ever removed.
set -euo pipefail

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

log() { echo "s3/stop: $*" >&2; }

stop_args "${LEDGERLINE_S3_KEEP_STATE:-0}" "$@"
timeout_s="${LEDGERLINE_S3_STOP_TIMEOUT:-5}"

# Is $1 still the server of this state dir (and not a recycled pid)?
# shellcheck disable=SC2317 # called by stop_pidfile
is_our_server() { cmdline_matches "$1" "* server *-dir=$state/data *"; }

status=0
stop_pidfile "$state/weed.pid" "$timeout_s" is_our_server server || status=1

# The server's gRPC Unix sockets in /tmp (a killed server leaves them).
if [[ -f "$state/sockets" ]] && ((status == 0)); then
  while read -r sock; do
    if [[ "$sock" == /tmp/seaweedfs-*-grpc-*.sock && -S "$sock" ]]; then
      rm -f "$sock"
    fi
  done <"$state/sockets"
fi

remove_state "$state" .ledgerline-s3-state "$keep"
exit "$status"
