#!/usr/bin/env bash
# Starts a Flink 2.2.1 standalone session cluster on this machine: one JobManager and one
# TaskManager JVM, Flink's jars resolved by Maven from pom.xml. Returns once the REST API
# (http://localhost:$FLINK_REST_PORT) reports free task slots. Stop it with stop.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

mkdir -p "$PID_DIR" "$LOG_DIR" "$CLUSTER_DIR/checkpoints" "$CLUSTER_DIR/savepoints" \
  "$CLUSTER_DIR/tmp" "$CLUSTER_DIR/conf"
for role in jobmanager taskmanager; do
  if [[ -f "$PID_DIR/$role.pid" ]] && kill -0 "$(cat "$PID_DIR/$role.pid")" 2>/dev/null; then
    echo "a $role of this cluster already runs (pid $(cat "$PID_DIR/$role.pid")); run stop.sh first" >&2
    exit 1
  fi
done

CLASSPATH_FILE="$CLUSTER_DIR/classpath.txt"
if [[ ! -s "$CLASSPATH_FILE" ]]; then
  echo "Resolving Flink's class path with Maven..."
  # Offline first: after one build of StreamViz the local repository usually has everything.
  resolve() {
    mvn -B -q "$@" -f "$HERE/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$CLASSPATH_FILE" >>"$LOG_DIR/maven.log" 2>&1
  }
  resolve -o || resolve \
    || { echo "Maven could not resolve Flink; see $LOG_DIR/maven.log" >&2; exit 1; }
fi
CP="$(cat "$CLASSPATH_FILE")"

cp "$HERE/config.yaml" "$CLUSTER_DIR/conf/config.yaml"
cp "$HERE/log4j.properties" "$CLUSTER_DIR/conf/log4j.properties"
# Settings that depend on where this cluster runs, passed as Flink's dynamic properties.
DYNAMIC=(
  -D "rest.port=$FLINK_REST_PORT"
  -D "jobmanager.rpc.port=$FLINK_RPC_PORT"
  -D "taskmanager.numberOfTaskSlots=$FLINK_SLOTS"
  -D "execution.checkpointing.dir=file://$CLUSTER_DIR/checkpoints"
  -D "execution.checkpointing.savepoint-dir=file://$CLUSTER_DIR/savepoints"
  -D "io.tmp.dirs=$CLUSTER_DIR/tmp"
  -D "web.tmpdir=$CLUSTER_DIR/tmp"
  -D "web.upload.dir=$CLUSTER_DIR/tmp"
)

# Like bin/taskmanager.sh and bin/jobmanager.sh: BashJavaUtils turns the memory settings into JVM
# options and the derived memory configuration. Its result lines are prefixed.
resource_params() {
  "$JAVA" -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$CLUSTER_DIR/conf" "${DYNAMIC[@]}" 2>>"$LOG_DIR/bash-java-utils.log" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start_process() {
  local role="$1" main="$2" params="$3"
  local jvm_params dynamic_params
  jvm_params="$(echo "$params" | sed -n 1p)"
  dynamic_params="$(echo "$params" | sed -n 2p)"
  # shellcheck disable=SC2086 # the JVM and dynamic parameters are lists of words
  nohup "$JAVA" $jvm_params "${JAVA17_OPTS[@]}" \
    -Dlog.file="$LOG_DIR/$role.log" \
    -Dlog4j.configurationFile="file:$CLUSTER_DIR/conf/log4j.properties" \
    -cp "$CP" "$main" --configDir "$CLUSTER_DIR/conf" "${DYNAMIC[@]}" $dynamic_params \
    >"$LOG_DIR/$role.out" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$role.pid"
}

started=$(date +%s%N)
start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  "$(resource_params GET_JM_RESOURCE_PARAMS)"
start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
  "$(resource_params GET_TM_RESOURCE_PARAMS)"

deadline=$(( $(date +%s) + ${START_TIMEOUT_SECONDS:-120} ))
until curl -sf "http://localhost:$FLINK_REST_PORT/overview" 2>/dev/null \
    | grep -q '"slots-available":[1-9]'; do
  for role in jobmanager taskmanager; do
    if ! kill -0 "$(cat "$PID_DIR/$role.pid")" 2>/dev/null; then
      echo "the $role ended while starting; see $LOG_DIR/$role.log and $role.out" >&2
      "$HERE/stop.sh"
      exit 1
    fi
  done
  if (( $(date +%s) > deadline )); then
    echo "no free task slot at http://localhost:$FLINK_REST_PORT after" \
      "${START_TIMEOUT_SECONDS:-120} s; see $LOG_DIR" >&2
    "$HERE/stop.sh"
    exit 1
  fi
  sleep 0.5
done
echo "Flink session cluster ready in $(( ($(date +%s%N) - started) / 1000000 )) ms:" \
  "http://localhost:$FLINK_REST_PORT ($FLINK_SLOTS slots; data in $CLUSTER_DIR)"
