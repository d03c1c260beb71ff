#!/usr/bin/env bash
# start.sh — start a throwaway single-node Apache Kafka (KRaft, combined
# broker+controller) on 127.0.0.1, on free ports, for integration tests.
#
# Usage: deploy/kafka/start.sh
#
# stdout: the bootstrap address (127.0.0.1:PORT) as the last line.
# stderr: progress; on failure the tail of the broker log.
#
# Files in the state dir:
#   env               export LEDGERLINE_KAFKA_BROKERS/_VERSION/_PID/_STATE
#   broker.pid        pid of the broker JVM
#   server.properties broker config
#   broker.log        log4j2 output (WARN and above)
#   broker.out        JVM stdout/stderr
#   data/             log.dirs (wiped on every start: always a new cluster)
#
# Stop with: deploy/kafka/stop.sh <state-dir>
#
# Environment:
#   LEDGERLINE_KAFKA_STATE          state dir (default: a new mktemp dir)
#   LEDGERLINE_KAFKA_START_TIMEOUT  seconds to wait for the broker (default 90)
#   LEDGERLINE_KAFKA_JVM_OPTS       extra JVM options for the broker
#   LEDGERLINE_KAFKA_SERVER_PROPS   extra server.properties lines (appended)
#   LEDGERLINE_KAFKA_OWNER_PID      stop the broker when this process is gone
#                                   (with-broker.sh sets it to itself)
#   LEDGERLINE_KAFKA_CACHE, LEDGERLINE_KAFKA_WANT_VERSION: see fetch.sh
#   JAVA_HOME                       java to use (default: java on PATH)
set -euo pipefail

# shellcheck source=deploy/lib/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/service.sh"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "kafka/start: $*" >&2; }

java_bin="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

# Kafka 4.x brokers need Java 17+.
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = \([0-9.]*\).*/\1/p' | head -n1)"
if [[ -z "$java_major" ]]; then
  log "cannot run '$java_bin' (Java 17+ is needed for Apache Kafka 4.x)"
  exit 1
fi
if ((${java_major%%.*} < 17)); then
  log "'$java_bin' is Java $java_major; Apache Kafka 4.x needs Java 17+ (set JAVA_HOME)"
  exit 1
fi

# 1. jars
fetched="$("$here/fetch.sh" --env)"
eval "$fetched" # sets LEDGERLINE_KAFKA_VERSION, LEDGERLINE_KAFKA_LIB
version="$LEDGERLINE_KAFKA_VERSION"
lib="$LEDGERLINE_KAFKA_LIB"
# Keep the source tree's version of the classpath out of the way: only jars.
cp="$lib/*"

# 2. state dir
if [[ -n "${LEDGERLINE_KAFKA_STATE:-}" ]]; then
  state="$LEDGERLINE_KAFKA_STATE"
  mkdir -p "$state"
else
  state="$(mktemp -d "${TMPDIR:-/tmp}/ledgerline-kafka.XXXXXX")"
fi
state="$(cd "$state" && pwd)"
if [[ -f "$state/broker.pid" ]] && kill -0 "$(cat "$state/broker.pid")" 2>/dev/null; then
  log "a broker is already running from $state (pid $(cat "$state/broker.pid")); stop it first"
  exit 1
fi
# stop.sh only deletes dirs carrying this marker.
echo "ledgerline kafka test broker state" >"$state/.ledgerline-kafka-state"
log "state dir $state"

timeout_s="${LEDGERLINE_KAFKA_START_TIMEOUT:-90}"

# 3. helpers


cluster_id() { # 16 random bytes, base64url without padding (22 chars)
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    # Kafka's own generator never starts an id with '-' (looks like a flag).
    [[ ${#id} -eq 22 && "$id" != -* ]] && break
  done
  echo "$id"
}

broker_alive() { [[ -n "${pid:-}" ]] && kill -0 "$pid" 2>/dev/null; }

kill_broker() {
  broker_alive || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    broker_alive || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

show_logs() {
  local f
  for f in "$state/broker.out" "$state/broker.log" "$state/format.log" "$state/probe.log"; do
    if [[ -s "$f" ]]; then
      echo "----- tail of $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

# 4. configs that do not depend on the ports
cat >"$state/log4j2.properties" <<EOF
# Broker logging: WARN and above to $state/broker.log
status = warn
name = ledgerline-kafka
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $state/broker.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = FILE
# a few useful lifecycle lines
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.kafka.name = kafka.Kafka
logger.kafka.level = INFO
EOF

cat >"$state/log4j2-tools.properties" <<'EOF'
# Command-line tools (storage format, readiness probe): errors to stderr
status = warn
name = ledgerline-kafka-tools
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = STDERR
EOF

cat >"$state/probe.properties" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=10000
retries=2
EOF

# how to run a Kafka command-line tool class (storage format, probe)
tool=("$java_bin" -Xmx256m -XX:TieredStopAtLevel=1
  -Dlog4j2.configurationFile="$state/log4j2-tools.properties" -cp "$cp")

write_server_properties() { # $1 = client port, $2 = controller port
  cat >"$state/server.properties" <<EOF
# Generated by deploy/kafka/start.sh: single-node KRaft test broker.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$1,CONTROLLER://127.0.0.1:$2
advertised.listeners=PLAINTEXT://127.0.0.1:$1
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$2
log.dirs=$state/data

# single node: every internal topic with one replica
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
delete.topic.enable=true

# fast tests
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
group.consumer.min.session.timeout.ms=1000
group.consumer.session.timeout.ms=10000
group.consumer.min.heartbeat.interval.ms=500
group.consumer.heartbeat.interval.ms=1000
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
transaction.remove.expired.transaction.cleanup.interval.ms=60000
log.cleaner.dedupe.buffer.size=16777216
num.network.threads=2
num.io.threads=4
EOF
  if [[ -n "${LEDGERLINE_KAFKA_SERVER_PROPS:-}" ]]; then
    printf '\n# LEDGERLINE_KAFKA_SERVER_PROPS\n%s\n' "$LEDGERLINE_KAFKA_SERVER_PROPS" >>"$state/server.properties"
  fi
}

# 5. format + start; retried with new ports if a port was taken meanwhile
start_epoch=$SECONDS
pid=""
attempt=0
while :; do
  attempt=$((attempt + 1))
  read -r port ctl_port < <(free_ports 2)
  write_server_properties "$port" "$ctl_port"
  rm -rf "$state/data" "$state/broker.log" "$state/broker.out" "$state/probe.log"
  cid="$(cluster_id)"
  if ! "${tool[@]}" kafka.tools.StorageTool format --standalone -g -t "$cid" \
      -c "$state/server.properties" >"$state/format.log" 2>&1; then
    log "formatting the storage failed"
    show_logs
    exit 1
  fi

  # shellcheck disable=SC2086 # LEDGERLINE_KAFKA_JVM_OPTS is a list of options
  nohup "$java_bin" -Xmx512m -Xms256m -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$state/log4j2.properties" \
    ${LEDGERLINE_KAFKA_JVM_OPTS:-} \
    -cp "$cp" kafka.Kafka "$state/server.properties" \
    >"$state/broker.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$state/broker.pid"
  log "Apache Kafka $version starting (pid $pid, 127.0.0.1:$port, controller :$ctl_port)"

  # wait for it: process alive -> port open -> a real admin request works
  ready=0
  deadline=$((SECONDS + timeout_s))
  bind_failed=0
  while ((SECONDS < deadline)); do
    if ! broker_alive; then
      break
    fi
    if grep -qsE 'BindException|Address already in use' "$state/broker.out" "$state/broker.log"; then
      bind_failed=1 # it would take a while to shut down by itself
      kill_broker
      break
    fi
    if port_open "$port"; then
      probe_s=$((deadline - SECONDS))
      ((probe_s > 30)) && probe_s=30
      ((probe_s < 5)) && probe_s=5
      if timeout "$probe_s" "${tool[@]}" org.apache.kafka.tools.TopicCommand \
          --bootstrap-server "127.0.0.1:$port" \
          --command-config "$state/probe.properties" --list \
          >"$state/probe.log" 2>&1; then
        ready=1
        break
      fi
    fi
    sleep 0.5
  done
  ((ready)) && break

  if ! broker_alive && ((attempt < 3)) && { ((bind_failed)) ||
     grep -qsE 'BindException|Address already in use' "$state/broker.out" "$state/broker.log"; }; then
    log "port taken while starting (attempt $attempt); retrying on new ports"
    continue
  fi
  if broker_alive; then
    log "Apache Kafka $version did not answer within ${timeout_s}s"
  else
    log "Apache Kafka $version exited during startup"
  fi
  show_logs
  kill_broker
  rm -f "$state/broker.pid"
  log "logs left in $state (deploy/kafka/stop.sh $state removes it)"
  exit 1
done

# Watchdog: if the owning process (with-broker.sh) dies without stopping
# the broker, even by SIGKILL, stop it so no JVM is left behind.
if [[ -n "${LEDGERLINE_KAFKA_OWNER_PID:-}" ]]; then
  owner="$LEDGERLINE_KAFKA_OWNER_PID"
  # shellcheck disable=SC2016 # expanded by the watchdog's own shell
  nohup "$BASH" -c '
    owner=$1 pid=$2 state=$3 stop=$4
    while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "owner $owner gone: stopping broker $pid" >>"$state/watchdog.log"
      "$stop" "$state"
    fi
  ' ledgerline-kafka-watchdog "$owner" "$pid" "$state" "$here/stop.sh" \
    >/dev/null 2>&1 </dev/null &
fi

cat >"$state/env" <<EOF
export LEDGERLINE_KAFKA_BROKERS=127.0.0.1:$port
export LEDGERLINE_KAFKA_VERSION=$version
export LEDGERLINE_KAFKA_PID=$pid
export LEDGERLINE_KAFKA_STATE=$state
EOF
log "Apache Kafka $version ready at 127.0.0.1:$port in $((SECONDS - start_epoch))s (state $state)"
echo "127.0.0.1:$port"
