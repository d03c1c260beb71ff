#!/usr/bin/env bash
# build.sh — build (once) the SeaweedFS `weed` binary that start.sh runs as
# the throwaway S3-compatible server of the tests.
#
# Usage: deploy/s3/build.sh [--env]
#   stdout: the path of the weed binary (with --env: shell assignments
#           LEDGERLINE_S3_WEED=... and LEDGERLINE_S3_SEAWEEDFS_VERSION=...).
#
# SeaweedFS (Apache-2.0) is a Go module; its source comes from the Go module
# proxy like any dependency. `go install pkg@version` refuses it (its go.mod
# has a replace directive), so the module is downloaded with
# `go mod download` and built in its module-cache directory, with its own
# go.mod and go.sum. The binary is cached and reused:
#   ${LEDGERLINE_S3_CACHE:-$HOME/.cache/ledgerline/seaweedfs-<version>}/bin/weed
# A cold build takes several minutes on 2 cores (see deploy/s3/README.md).
#
# Environment:
#   LEDGERLINE_S3_CACHE              cache dir (default above)
#   LEDGERLINE_S3_SEAWEEDFS_VERSION  module version to build (default below)
#   LEDGERLINE_S3_WEED               use this weed binary instead of building
#   GO                               go command (default: go)
set -euo pipefail

log() { echo "s3/build: $*" >&2; }

module=github.com/seaweedfs/seaweedfs
version="${LEDGERLINE_S3_SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
go_bin="${GO:-go}"

emit() {
  if [[ "$want_env" == 1 ]]; then
    printf 'LEDGERLINE_S3_WEED=%q\nLEDGERLINE_S3_SEAWEEDFS_VERSION=%q\n' "$weed" "$version"
  else
    echo "$weed"
  fi
}

want_env=0
for arg in "$@"; do
  case "$arg" in
    --env) want_env=1 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) log "unknown argument $arg"; exit 2 ;;
  esac
done

works() { [[ -x "$1" ]] && "$1" version >/dev/null 2>&1; }

if [[ -n "${LEDGERLINE_S3_WEED:-}" ]]; then
  weed="$LEDGERLINE_S3_WEED"
  if ! works "$weed"; then
    log "LEDGERLINE_S3_WEED=$weed does not run"
    exit 1
  fi
  emit
  exit 0
fi

cache="${LEDGERLINE_S3_CACHE:-$HOME/.cache/ledgerline/seaweedfs-$version}"
weed="$cache/bin/weed"
mkdir -p "$cache/bin"

# One build at a time per cache; a second caller waits and reuses it.
exec 9>"$cache/.build.lock"
if ! flock -w 3600 9; then
  log "timed out waiting for another build in $cache"
  exit 1
fi

if works "$weed"; then
  emit
  exit 0
fi

if ! command -v "$go_bin" >/dev/null 2>&1; then
  log "no '$go_bin' on PATH: Go is needed to build SeaweedFS"
  exit 1
fi

start=$SECONDS
log "building SeaweedFS $version (weed) into $cache; a cold build takes minutes"
buildlog="$cache/build.log"
: >"$buildlog"
if ! dir="$(GOWORK=off "$go_bin" mod download -json "$module@$version" 2>>"$buildlog" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" || [[ -z "$dir" || ! -f "$dir/go.mod" ]]; then
  log "could not download $module@$version from the Go module proxy:"
  tail -n 20 "$buildlog" >&2
  exit 1
fi
log "source in $dir (downloaded in $((SECONDS - start))s)"

# The module cache is read-only: build there without touching it, into a
# temporary name, and publish the binary only when it is complete.
tmp="$weed.tmp.$$"
trap 'rm -f "$tmp"' EXIT
if ! (cd "$dir" && CGO_ENABLED=0 GOWORK=off "$go_bin" build -trimpath -ldflags="-s -w" -o "$tmp" ./weed) >>"$buildlog" 2>&1; then
  log "building weed failed after $((SECONDS - start))s:"
  tail -n 30 "$buildlog" >&2
  exit 1
fi
mv -f "$tmp" "$weed"
trap - EXIT
if ! works "$weed"; then
  log "the built $weed does not run"
  exit 1
fi
log "built $weed in $((SECONDS - start))s"
emit
