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

log() { echo "s3/stop: $*" >&2; }

keep="${LEDGERLINE_S3_KEEP_STATE:-0}"
state=""
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) log "unknown option $arg"; exit 2 ;;
    *) state="$arg" ;;
  esac
done
if [[ -z "$state" ]]; then
  echo "usage: $0 [--keep] <state-dir>" >&2
  exit 2
fi
if [[ ! -d "$state" ]]; then
  log "no state dir $state: nothing to stop"
  exit 0
fi
state="$(cd "$state" && pwd)"
timeout_s="${LEDGERLINE_S3_STOP_TIMEOUT:-5}"

# Is $1 still the server of this state dir (and not a recycled pid)?
is_our_server() {
  local p="$1" cmdline
  kill -0 "$p" 2>/dev/null || return 1
  if [[ -r "/proc/$p/cmdline" ]]; then
    cmdline="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true)"
    # A zombie or a vanished process has an empty cmdline.
    [[ -z "$cmdline" ]] && return 1
    [[ "$cmdline" == *" server "*"-dir=$state/data "* ]]
    return
  fi
  return 0 # no /proc: trust the pid file
}

status=0
if [[ -f "$state/weed.pid" ]]; then
  pid="$(cat "$state/weed.pid")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_server "$pid"; then
    start=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    while is_our_server "$pid" && ((SECONDS - start < timeout_s)); do
      sleep 0.2
    done
    if is_our_server "$pid"; then
      log "server pid $pid still running after ${timeout_s}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        is_our_server "$pid" || break
        sleep 0.1
      done
    else
      log "server pid $pid stopped in $((SECONDS - start))s"
    fi
    if is_our_server "$pid"; then
      log "server pid $pid would not die"
      status=1
    fi
  fi
  rm -f "$state/weed.pid"
fi

# The server's gRPC Unix sockets in /tmp (a killed server leaves them).
if [[ -f "$state/sockets" ]] && ((status == 0)); then
  while read -r sock; do
    if [[ "$sock" == /tmp/seaweedfs-*-grpc-*.sock && -S "$sock" ]]; then
      rm -f "$sock"
    fi
  done <"$state/sockets"
fi

if [[ "$keep" == 1 ]]; then
  log "state kept in $state"
elif [[ -f "$state/.ledgerline-s3-state" ]]; then
  rm -rf "$state"
elif rmdir "$state" 2>/dev/null; then
  : # an empty dir (start.sh failed before using it)
else
  log "$state was not made by start.sh (no .ledgerline-s3-state): not removing it"
fi
exit "$status"
