#!/usr/bin/env bash
# start.sh — start a throwaway S3-compatible server (SeaweedFS `weed
# server`: master, volume server, filer and S3 gateway in one process) on
# 127.0.0.1 only, on free ports, for integration tests.
#
# Usage: deploy/s3/start.sh
#
# stdout: the S3 endpoint (127.0.0.1:PORT) as the last line.
# stderr: progress; on failure the tail of the server log.
#
# Files in the state dir:
#   env          export LEDGERLINE_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY/_SECURE,
#                LEDGERLINE_S3_PID/_STATE/_SEAWEEDFS_VERSION
#   weed.pid     pid of the server
#   s3.json      S3 identities: one access key/secret, generated per start
#   weed.log     server output
#   sockets      the Unix sockets weed creates in /tmp (removed by stop.sh)
#   data/        volumes, master and filer metadata (new on every start)
#
# Stop with: deploy/s3/stop.sh <state-dir>
#
# Environment:
#   LEDGERLINE_S3_STATE          state dir (default: a new mktemp dir)
#   LEDGERLINE_S3_START_TIMEOUT  seconds to wait for S3 to answer (default 120)
#   LEDGERLINE_S3_VOLUME_MAX     max number of volumes (default 16)
#   LEDGERLINE_S3_VOLUME_MB      volume size limit in MB (default 64)
#   LEDGERLINE_S3_GOMEMLIMIT     soft memory limit of the server (default 256MiB)
#   LEDGERLINE_S3_OWNER_PID      stop the server when this process is gone
#                                (with-s3.sh sets it to itself)
#   LEDGERLINE_S3_CACHE, LEDGERLINE_S3_WEED,
#   LEDGERLINE_S3_SEAWEEDFS_VERSION  see build.sh
set -euo pipefail

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "s3/start: $*" >&2; }

if ! command -v curl >/dev/null 2>&1; then
  log "curl (7.75 or later, for --aws-sigv4) is needed to check that S3 answers"
  exit 1
fi

# 1. binary
built="$("$here/build.sh" --env)"
eval "$built" # sets LEDGERLINE_S3_WEED, LEDGERLINE_S3_SEAWEEDFS_VERSION
weed="$LEDGERLINE_S3_WEED"
version="$LEDGERLINE_S3_SEAWEEDFS_VERSION"

# 2. state dir
if [[ -n "${LEDGERLINE_S3_STATE:-}" ]]; then
  state="$LEDGERLINE_S3_STATE"
  mkdir -p "$state"
else
  state="$(mktemp -d "${TMPDIR:-/tmp}/ledgerline-s3.XXXXXX")"
fi
state="$(cd "$state" && pwd)"
if [[ -f "$state/weed.pid" ]] && kill -0 "$(cat "$state/weed.pid")" 2>/dev/null; then
  log "a server is already running from $state (pid $(cat "$state/weed.pid")); stop it first"
  exit 1
fi
# stop.sh only deletes dirs carrying this marker.
echo "ledgerline s3 test server state" >"$state/.ledgerline-s3-state"
log "state dir $state"

timeout_s="${LEDGERLINE_S3_START_TIMEOUT:-120}"
volume_max="${LEDGERLINE_S3_VOLUME_MAX:-16}"
volume_mb="${LEDGERLINE_S3_VOLUME_MB:-64}"
mem_limit="${LEDGERLINE_S3_GOMEMLIMIT:-256MiB}"

# 3. functions (free_ports and port_open come from lib/service.sh)
nports=8

server_alive() { [[ -n "${pid:-}" ]] && kill -0 "$pid" 2>/dev/null; }

kill_server() {
  server_alive || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    server_alive || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

show_logs() {
  local f
  for f in "$state/weed.log" "$state/probe.log"; do
    if [[ -s "$f" ]]; then
      echo "----- tail of $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

# s3 METHOD PATH [curl args...]: a signed (AWS SigV4) request to the gateway;
# prints the HTTP status.
s3() {
  local method="$1" path="$2"
  shift 2
  curl -sS -o "$state/probe.body" -w '%{http_code}' --max-time 10 \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$access_key:$secret_key" \
    -X "$method" "$@" "http://127.0.0.1:$s3_port$path" 2>>"$state/probe.log" || true
}

# ready: S3 answers a signed request with the configured key, a bucket can
# be created, and an object written, read back and removed (so the volume
# server has joined the master and volumes can grow).
ready() {
  local code
  code="$(s3 PUT /ledgerline-probe)"
  [[ "$code" == 200 || "$code" == 409 ]] || { echo "create bucket: $code" >>"$state/probe.log"; return 1; }
  code="$(s3 PUT /ledgerline-probe/ready -H 'Content-Type: text/plain' -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --data-binary 'ready')"
  [[ "$code" == 200 ]] || { echo "put: $code" >>"$state/probe.log"; return 1; }
  code="$(s3 GET /ledgerline-probe/ready)"
  [[ "$code" == 200 && "$(cat "$state/probe.body")" == ready ]] || { echo "get: $code" >>"$state/probe.log"; return 1; }
  code="$(s3 DELETE /ledgerline-probe/ready)"
  [[ "$code" == 204 || "$code" == 200 ]] || { echo "delete: $code" >>"$state/probe.log"; return 1; }
  code="$(s3 DELETE /ledgerline-probe)"
  [[ "$code" == 204 || "$code" == 200 ]] || { echo "delete bucket: $code" >>"$state/probe.log"; return 1; }
  return 0
}

# 4. credentials: a random key pair for this server only
access_key="ledgerline$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
secret_key="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
umask 077
cat >"$state/s3.json" <<EOF
{
  "identities": [
    {
      "name": "ledgerline-test",
      "credentials": [{"accessKey": "$access_key", "secretKey": "$secret_key"}],
      "actions": ["Admin", "Read", "Write", "List", "Tagging"]
    }
  ]
}
EOF
umask 022

# 5. start; retried with new ports if a port was taken meanwhile
start_epoch=$SECONDS
pid=""
attempt=0
while :; do
  attempt=$((attempt + 1))
  read -r master_port master_grpc volume_port volume_grpc filer_port filer_grpc s3_port s3_grpc < <(free_ports $nports)
  rm -rf "$state/data" "$state/weed.log" "$state/probe.log"
  mkdir -p "$state/data"
  # weed server also serves each gRPC port on a Unix socket at a fixed
  # path in /tmp; stop.sh removes these when the server is gone.
  printf '/tmp/seaweedfs-%s.sock\n' "master-grpc-$master_grpc" "volume-grpc-$volume_grpc" \
    "filer-grpc-$filer_grpc" "s3-grpc-$s3_grpc" >>"$state/sockets"
  # Everything on 127.0.0.1: -ip (advertised) and -ip.bind (listened on).
  # Off: telemetry (no network), Iceberg and Lance endpoints, metrics,
  # WebDAV, SFTP, IAM service, message queue. The filer's and the
  # gateway's HTTP Unix sockets live in the state dir.
  # A new collection (one per bucket) grows 2 volumes instead of 7, so a
  # few buckets fit in LEDGERLINE_S3_VOLUME_MAX.
  # GOMEMLIMIT makes the Go runtime collect harder instead of growing.
  WEED_MASTER_VOLUME_GROWTH_COPY_1=2 GOMEMLIMIT="$mem_limit" nohup "$weed" server \
    -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -dir="$state/data" \
    -master.port="$master_port" -master.port.grpc="$master_grpc" \
    -master.volumeSizeLimitMB="$volume_mb" -master.telemetry=false \
    -master.defaultReplication=000 \
    -volume.port="$volume_port" -volume.port.grpc="$volume_grpc" \
    -volume.max="$volume_max" -volume.preStopSeconds=0 \
    -filer -filer.port="$filer_port" -filer.port.grpc="$filer_grpc" \
    -filer.localSocket="$state/filer.sock" \
    -s3 -s3.port="$s3_port" -s3.port.grpc="$s3_grpc" \
    -s3.port.iceberg=0 -s3.port.lance=0 \
    -s3.config="$state/s3.json" -s3.localSocket="$state/s3.sock" \
    -s3.autoCreateBucket=false \
    >"$state/weed.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$state/weed.pid"
  log "SeaweedFS $version starting (pid $pid, S3 at 127.0.0.1:$s3_port, master :$master_port)"

  ok=0
  bind_failed=0
  deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    if ! server_alive; then
      break
    fi
    if grep -qsE 'address already in use|bind: ' "$state/weed.log"; then
      bind_failed=1
      kill_server
      break
    fi
    if port_open "$s3_port" && ready; then
      ok=1
      break
    fi
    sleep 0.5
  done
  ((ok)) && break

  if ((bind_failed)) && ((attempt < 3)); then
    log "port taken while starting (attempt $attempt); retrying on new ports"
    continue
  fi
  if server_alive; then
    log "SeaweedFS did not answer S3 requests within ${timeout_s}s"
  else
    log "SeaweedFS exited during startup"
  fi
  show_logs
  kill_server
  rm -f "$state/weed.pid"
  log "logs left in $state (deploy/s3/stop.sh $state removes it)"
  exit 1
done

# Only loopback: refuse to run a server that listens anywhere else.
if command -v ss >/dev/null 2>&1; then
  if exposed="$(ss -Hltnp 2>/dev/null | grep -F "pid=$pid," | awk '{print $4}' | grep -vE '^(127\.[0-9.]+|\[::1\]):[0-9]+$')"; then
    log "SeaweedFS listens beyond loopback: $exposed; stopping it"
    kill_server
    rm -f "$state/weed.pid"
    exit 1
  fi
fi

# Watchdog: if the owning process (with-s3.sh) dies without stopping the
# server, even by SIGKILL, stop it so no server is left behind.
if [[ -n "${LEDGERLINE_S3_OWNER_PID:-}" ]]; then
  owner="$LEDGERLINE_S3_OWNER_PID"
  # shellcheck disable=SC2016 # expanded by the watchdog's own shell
  nohup "$BASH" -c '
    owner=$1 pid=$2 state=$3 stop=$4
    while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "owner $owner gone: stopping server $pid" >>"$state/watchdog.log"
      "$stop" "$state"
    fi
  ' ledgerline-s3-watchdog "$owner" "$pid" "$state" "$here/stop.sh" \
    >/dev/null 2>&1 </dev/null &
fi

umask 077
cat >"$state/env" <<EOF
export LEDGERLINE_S3_ENDPOINT=127.0.0.1:$s3_port
export LEDGERLINE_S3_ACCESS_KEY=$access_key
export LEDGERLINE_S3_SECRET_KEY=$secret_key
export LEDGERLINE_S3_SECURE=false
export LEDGERLINE_S3_SEAWEEDFS_VERSION=$version
export LEDGERLINE_S3_PID=$pid
export LEDGERLINE_S3_STATE=$state
EOF
umask 022
log "SeaweedFS $version S3 ready at 127.0.0.1:$s3_port in $((SECONDS - start_epoch))s (state $state)"
echo "127.0.0.1:$s3_port"
