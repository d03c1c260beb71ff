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

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

log() { echo "kafka/stop: $*" >&2; }

stop_args "${LEDGERLINE_KAFKA_KEEP_STATE:-0}" "$@"
timeout_s="${LEDGERLINE_KAFKA_STOP_TIMEOUT:-30}"

# Is $1 still the broker of this state dir (and not a recycled pid)?
# shellcheck disable=SC2317 # called by stop_pidfile
is_our_broker() { cmdline_matches "$1" "*kafka.Kafka*$state/server.properties*"; }

status=0
stop_pidfile "$state/broker.pid" "$timeout_s" is_our_broker broker || status=1

remove_state "$state" .ledgerline-kafka-state "$keep"
exit "$status"
