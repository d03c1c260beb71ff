# shellcheck shell=bash
# service.sh — shell functions shared by the scripts that run the test
# services (deploy/kafka, deploy/s3). Source it; the caller defines log().

# stop_pidfile PIDFILE TIMEOUT IS_OURS WHAT
# Stops the process whose pid PIDFILE holds: SIGTERM, then SIGKILL after
# TIMEOUT seconds, for as long as the function IS_OURS PID says the pid is
# still the service (and not a recycled pid). Removes PIDFILE. Returns 1
# if the process would not die.
stop_pidfile() {
  local pidfile="$1" timeout_s="$2" is_ours="$3" what="$4" pid start status=0
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && "$is_ours" "$pid"; then
    start=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    while "$is_ours" "$pid" && ((SECONDS - start < timeout_s)); do
      sleep 0.2
    done
    if "$is_ours" "$pid"; then
      log "$what pid $pid still running after ${timeout_s}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        "$is_ours" "$pid" || break
        sleep 0.1
      done
    else
      log "$what pid $pid stopped in $((SECONDS - start))s"
    fi
    if "$is_ours" "$pid"; then
      log "$what pid $pid would not die"
      status=1
    fi
  fi
  rm -f "$pidfile"
  return "$status"
}

# cmdline_matches PID PATTERN
# True when PID is alive and its command line matches the glob PATTERN;
# where /proc is missing the pid file is trusted.
cmdline_matches() {
  local p="$1" pattern="$2" cmdline
  kill -0 "$p" 2>/dev/null || return 1
  if [[ -r "/proc/$p/cmdline" ]]; then
    cmdline="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true)"
    # A zombie or a vanished process has an empty cmdline.
    [[ -z "$cmdline" ]] && return 1
    # shellcheck disable=SC2053 # PATTERN is a glob on purpose
    [[ "$cmdline" == $pattern ]]
    return
  fi
  return 0
}

# remove_state STATE MARKER KEEP
# Removes the state dir STATE unless KEEP is 1; only a dir holding the
# marker file MARKER (made by the start script) or an empty one is removed.
remove_state() {
  local state="$1" marker="$2" keep="$3"
  if [[ "$keep" == 1 ]]; then
    log "state kept in $state"
  elif [[ -f "$state/$marker" ]]; then
    rm -rf "$state"
  elif rmdir "$state" 2>/dev/null; then
    : # an empty dir (the start script failed before using it)
  else
    log "$state was not made by start.sh (no $marker): not removing it"
  fi
}

# in_ci: true when CI is set to a true value.
in_ci() {
  case "${CI:-}" in
    true | TRUE | True | 1) return 0 ;;
    *) return 1 ;;
  esac
}

# free_ports N: prints N distinct free TCP ports on 127.0.0.1.
free_ports() {
  local n="$1"
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$n" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
    return
  fi
  # Fallback without python: random high ports nobody is listening on.
  local ports=() p
  while ((${#ports[@]} < n)); do
    p=$((20000 + RANDOM % 30000))
    [[ " ${ports[*]-} " == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      ports+=("$p")
    fi
  done
  echo "${ports[*]}"
}

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_args KEEP ARGS...
# Parses the arguments of a stop.sh, [--keep] STATE_DIR, into the
# globals keep (KEEP unless --keep is given) and state (made absolute).
# Exits: 0 on --help (printing the script's header) and when there is no
# state dir, so nothing to stop; 2 on a usage error.
stop_args() {
  keep="$1"
  shift
  state=""
  local arg
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
}

# stop_on_exit STOP_SCRIPT STATE_DIR
# Makes the calling script run STOP_SCRIPT STATE_DIR when it exits, also
# on SIGINT and SIGTERM, keeping its exit status: a with-*.sh wrapper
# never leaves its service running.
stop_on_exit() {
  _stop_script="$1" _stop_state="$2"
  trap _stop_at_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
_stop_at_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -d "$_stop_state" ]]; then
    "$_stop_script" "$_stop_state" || true
  fi
  exit "$rc"
}
