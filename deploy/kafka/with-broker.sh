#!/usr/bin/env bash
# with-broker.sh — run a command against a real, throwaway Apache Kafka.
#
# Usage: deploy/kafka/with-broker.sh CMD [ARGS...]
#   e.g. deploy/kafka/with-broker.sh go test ./...
#
# If LEDGERLINE_KAFKA_BROKERS is already set, CMD simply runs against it.
# Otherwise a single-node broker is fetched (fetch.sh) and started
# (start.sh), LEDGERLINE_KAFKA_BROKERS and LEDGERLINE_KAFKA_VERSION are
# exported for CMD, and the broker is always stopped afterwards (stop.sh).
# Exits with CMD's status.
#
# If the broker cannot be started:
#   CI=true   exit non-zero: CI must test against a real broker.
#   otherwise warn loudly and run CMD without LEDGERLINE_KAFKA_BROKERS, so
#             integration tests skip (see internal/kafkatest).
#
# Environment: see start.sh and stop.sh (LEDGERLINE_KAFKA_JVM_OPTS,
# LEDGERLINE_KAFKA_START_TIMEOUT, LEDGERLINE_KAFKA_KEEP_STATE, ...).
set -euo pipefail

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [[ -n "${LEDGERLINE_KAFKA_BROKERS:-}" ]]; then
  echo "ledgerline: testing against the Kafka at $LEDGERLINE_KAFKA_BROKERS (LEDGERLINE_KAFKA_BROKERS)" >&2
  exec "$@"
fi


state="${LEDGERLINE_KAFKA_STATE:-}"
if [[ -z "$state" ]]; then
  state="$(mktemp -d "${TMPDIR:-/tmp}/ledgerline-kafka.XXXXXX")"
fi

stop_on_exit "$here/stop.sh" "$state"

unset LEDGERLINE_KAFKA_VERSION
if addr="$(LEDGERLINE_KAFKA_STATE="$state" LEDGERLINE_KAFKA_OWNER_PID=$$ "$here/start.sh")" && [[ -f "$state/env" ]]; then
  # shellcheck disable=SC1091
  source "$state/env"
  export LEDGERLINE_KAFKA_BROKERS LEDGERLINE_KAFKA_VERSION
  echo "ledgerline: testing against Apache Kafka $LEDGERLINE_KAFKA_VERSION at ${addr##*$'\n'}" >&2
else
  if in_ci; then
    echo "ledgerline: ERROR: could not start a real Apache Kafka broker and CI=true;" >&2
    echo "ledgerline: ERROR: refusing to run the tests without one (see the log above)." >&2
    exit 1
  fi
  cat >&2 <<'EOF'

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! ledgerline: WARNING: could not start a real Apache Kafka broker       !!
!! (see the log above). Running WITHOUT LEDGERLINE_KAFKA_BROKERS:        !!
!! every Kafka integration test will be SKIPPED. Under CI=true this      !!
!! would be a failure.                                                   !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

EOF
  unset LEDGERLINE_KAFKA_BROKERS LEDGERLINE_KAFKA_VERSION
fi

set +e
"$@"
status=$?
set -e

if ((status != 0)) && [[ -s "$state/broker.log" ]] && grep -q ' ERROR ' "$state/broker.log"; then
  echo "ledgerline: command failed (status $status); broker errors from $state/broker.log:" >&2
  grep ' ERROR ' "$state/broker.log" | tail -n 20 >&2
fi
exit "$status"
