#!/usr/bin/env bash
# Stops the TaskManager and JobManager that start.sh started: SIGTERM, and SIGKILL for one that
# is still there after 30 s. Running jobs end with the cluster; take a savepoint first to keep
# their state (see README.md).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_process() {
  local role="$1" pid_file="$PID_DIR/$1.pid"
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$role (pid $pid) still runs 30 s after SIGTERM; killing it" >&2
      kill -9 "$pid"
    fi
  fi
  rm -f "$pid_file"
  echo "stopped $role"
}

stop_process taskmanager
stop_process jobmanager
