#!/usr/bin/env bash
# fetch.sh — download an Apache Kafka broker (jars only) from Maven Central.
#
# Usage: deploy/kafka/fetch.sh [--env]
#
# Uses deploy/kafka/pom.xml and Maven's dependency plugin to copy
# org.apache.kafka:kafka_2.13 and its runtime dependencies (plus a log4j2
# binding) into a cache folder:
#
#   ${LEDGERLINE_KAFKA_CACHE:-$HOME/.cache/ledgerline/kafka-<version>}/lib
#
# A complete cache (marker file .complete, matching this pom) is reused
# without touching the network. Needs only Java 17+ and Maven.
#
# stdout: the Kafka version (e.g. "4.4.0"); with --env, shell assignments
#   LEDGERLINE_KAFKA_VERSION=... and LEDGERLINE_KAFKA_LIB=... instead.
#
# Environment:
#   LEDGERLINE_KAFKA_CACHE         cache folder (default above)
#   LEDGERLINE_KAFKA_WANT_VERSION  Kafka version to fetch (default: the pom's)
#   LEDGERLINE_KAFKA_MVN           maven command (default: mvn)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"

mode="version"
case "${1:-}" in
  --env) mode="env" ;;
  "") ;;
  *) echo "usage: $0 [--env]" >&2; exit 2 ;;
esac

log() { echo "kafka/fetch: $*" >&2; }

default_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -n1)"
version="${LEDGERLINE_KAFKA_WANT_VERSION:-$default_version}"
if [[ -z "$version" ]]; then
  log "cannot determine the Kafka version from $pom"
  exit 1
fi
cache="${LEDGERLINE_KAFKA_CACHE:-${HOME:-/tmp}/.cache/ledgerline/kafka-$version}"
lib="$cache/lib"
marker="$cache/.complete"
# The marker records what was fetched; a changed pom or version refetches.
want_marker="version=$version pom=$(cksum <"$pom" | cut -d' ' -f1)"

emit() {
  if [[ "$mode" == env ]]; then
    printf 'LEDGERLINE_KAFKA_VERSION=%q\n' "$version"
    printf 'LEDGERLINE_KAFKA_LIB=%q\n' "$lib"
  else
    echo "$version"
  fi
}

complete() {
  [[ -f "$marker" && "$(cat "$marker")" == "$want_marker" ]] &&
    [[ -f "$lib/kafka_2.13-$version.jar" ]]
}

if complete; then
  log "using cached Apache Kafka $version in $cache"
  emit
  exit 0
fi

for tool in java "${LEDGERLINE_KAFKA_MVN:-mvn}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "'$tool' not found: fetching Kafka needs Java 17+ and Maven"
    exit 1
  fi
done

mkdir -p "$cache"

# Serialise concurrent fetches into the same cache (flock is optional).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
  if complete; then
    log "using cached Apache Kafka $version in $cache (fetched concurrently)"
    emit
    exit 0
  fi
fi

log "fetching Apache Kafka $version from Maven Central into $cache ..."
start=$SECONDS
tmp="$(mktemp -d "$cache/lib.tmp.XXXXXX")"
mvnlog="$cache/fetch.log"
# -B: no colours/progress; -ntp: no transfer progress; output kept in a log
# file that is shown only on failure.
if ! "${LEDGERLINE_KAFKA_MVN:-mvn}" -B -ntp -q -Dstyle.color=never \
    -f "$pom" \
    -Dkafka.version="$version" \
    dependency:copy-dependencies \
    -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$mvnlog" 2>&1; then
  log "maven failed to fetch Kafka $version; last lines of $mvnlog:"
  tail -n 40 "$mvnlog" >&2
  rm -rf "$tmp"
  exit 1
fi

if [[ ! -f "$tmp/kafka_2.13-$version.jar" ]]; then
  log "maven finished but $tmp/kafka_2.13-$version.jar is missing"
  rm -rf "$tmp"
  exit 1
fi

rm -rf "$lib" "$marker"
mv "$tmp" "$lib"
echo "$want_marker" >"$marker"
log "fetched $(find "$lib" -name "*.jar" | wc -l) jars in $((SECONDS - start))s"
emit
