#!/usr/bin/env bash
# stop.sh — stop a broker started by start.sh and remove its state dir.
#
# Usage: deploy/kafka/stop.sh [--keep] <state-dir>
#
# Sends SIGTERM (a clean, controlled shutdown), waits up to
# LEDGERLINE_KAFKA_STOP_TIMEOUT seconds (default 30), then SIGKILL.
# The state dir is removed unless --keep is given or
# LEDGERLINE_KAFKA_KEEP_STATE=1; only dirs created by start.sh (marker file
# .ledgerline-kafka-state) are ever removed.
set -euo pipefail

log() { echo "kafka/stop: $*" >&2; }

keep="${LEDGERLINE_KAFKA_KEEP_STATE:-0}"
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
timeout_s="${LEDGERLINE_KAFKA_STOP_TIMEOUT:-30}"

# Is $1 still the broker of this state dir (and not a recycled pid)?
is_our_broker() {
  local p="$1" cmdline
  kill -0 "$p" 2>/dev/null || return 1
  if [[ -r "/proc/$p/cmdline" ]]; then
    cmdline="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true)"
    # A zombie or a vanished process has an empty cmdline.
    [[ -z "$cmdline" ]] && return 1
    [[ "$cmdline" == *kafka.Kafka*"$state/server.properties"* ]]
    return
  fi
  return 0 # no /proc: trust the pid file
}

status=0
if [[ -f "$state/broker.pid" ]]; then
  pid="$(cat "$state/broker.pid")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
    start=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    while is_our_broker "$pid" && ((SECONDS - start < timeout_s)); do
      sleep 0.2
    done
    if is_our_broker "$pid"; then
      log "broker pid $pid still running after ${timeout_s}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        is_our_broker "$pid" || break
        sleep 0.1
      done
    else
      log "broker pid $pid stopped in $((SECONDS - start))s"
    fi
    if is_our_broker "$pid"; then
      log "broker pid $pid would not die"
      status=1
    fi
  fi
  rm -f "$state/broker.pid"
fi

if [[ "$keep" == 1 ]]; then
  log "state kept in $state"
elif [[ -f "$state/.ledgerline-kafka-state" ]]; then
  rm -rf "$state"
elif rmdir "$state" 2>/dev/null; then
  : # an empty dir (start.sh failed before using it)
else
  log "$state was not made by start.sh (no .ledgerline-kafka-state): not removing it"
fi
exit "$status"
