#!/usr/bin/env bash
# make cluster-test: the backfill over the bundled samples on a real Spark standalone cluster (a master and a worker on
# 127.0.0.1, two executors, the driver too on the worker: --deploy-mode cluster), from the cluster jar make package
# builds, then the same backfill in local mode, then every gold table of the two warehouses compared row for row.
# Everything it starts is stopped by PID when it ends, passed or not.
#
# No Spark distribution is needed: the build's runtime jars minus what the cluster jar carries (Delta, the YAML
# reader) stand in for one, so the cluster jar must bring what a real cluster lacks (STACK.md, "Standalone cluster
# from the Maven jars").
#
# Usage: jobs/cluster/cluster-test.sh FROM TO   (landing dates; make cluster-test passes the samples' first and last)
# Environment: CLUSTER_TEST_DIR (default jobs/target/cluster-test), JAVA_HOME.
set -euo pipefail

from="$1"
to="$2"
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$home/jobs/target"
jar="$target/ews-jobs-cluster.jar"
out="${CLUSTER_TEST_DIR:-$target/cluster-test}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for f in "$jar" "$target/lib" "$target/classes/ews/jvm.options"; do
  [[ -e "$f" ]] || { echo "cluster-test: $f missing: run 'make package' first" >&2; exit 2; }
done

rm -rf "$out"
mkdir -p "$out/spark-home/jars" "$out/logs" "$out/work"
out="$(cd "$out" && pwd)" # absolute: it goes into file:// URIs and the worker's folders
case "$home$out" in
  *[[:space:]]*) echo "cluster-test: $home or $out holds a space, which the file:// URIs here do not escape" >&2; exit 2 ;;
esac
read -r -a flags < "$target/classes/ews/jvm.options"
flags_line="${flags[*]}"

# The stand-in Spark distribution: every runtime jar but the ones the cluster jar shades in.
dist_cp=""
for j in "$target"/lib/*.jar; do
  case "$(basename "$j")" in
    delta-*|jackson-dataformat-yaml-*|snakeyaml-*) ;;
    *) dist_cp="${dist_cp:+$dist_cp:}$j" ;;
  esac
done
export SPARK_HOME="$out/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_DIST_CLASSPATH="$dist_cp" SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOG_DIR="$out/logs"

# The terminal's stdout and stderr, for stop_all: a signal can arrive while a command's output goes to a log file.
exec 3>&1 4>&2
pids=()     # master, worker: stopped by PID at the end
running="" # the spark-submit or launcher in flight, run in the background so a signal is not held up by it
stop_all() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$running" ]] && kill "$running" 2>/dev/null
  # The driver and executors are the worker's children: stop them first, then the worker and the master.
  if [[ ${#pids[@]} -gt 1 ]]; then
    pkill -P "${pids[1]}" 2>/dev/null || true
  fi
  for pid in ${pids[@]+"${pids[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # Any JVM still running on our stand-in Spark home is one of ours.
  local left
  left="$(pgrep -f -- "java .*$out/spark-home" || true)"
  if [[ -n "$left" ]]; then
    echo "cluster-test: stopping leftover processes $left" >&4
    kill -9 $left 2>/dev/null || true
  fi
  echo "cluster-test: stopped master and worker (pids ${pids[*]:-none})" >&3
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in the background and waits for it, so INT/TERM reach stop_all at once.
in_background() {
  "$@" &
  running=$!
  local rc=0
  wait "$running" || rc=$?
  running=""
  return "$rc"
}

# Port 0 everywhere: the master and the UIs take free ports; the master's is read back from its log.
"$java" "${flags[@]}" -Xmx1g -cp "$dist_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0 > "$out/logs/master.log" 2>&1 &
pids+=($!)
master=""
for _ in $(seq 1 120); do
  master="$(sed -n 's/.*Starting Spark master at \(spark:\/\/[0-9.]*:[0-9]*\).*/\1/p' "$out/logs/master.log" | head -n 1)"
  [[ -n "$master" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$out/logs/master.log" >&2; echo "cluster-test: the master did not start" >&2; exit 1; }
  sleep 0.5
done
[[ -n "$master" ]] || { echo "cluster-test: no master URL in $out/logs/master.log after 60 s" >&2; exit 1; }

# Three cores offered: one for the driver (cluster deploy mode runs it on the worker), one for each executor.
"$java" "${flags[@]}" -Xmx1g -cp "$dist_cp" org.apache.spark.deploy.worker.Worker "$master" \
  --host 127.0.0.1 --cores 3 --memory 7g --work-dir "$out/work" --webui-port 0 > "$out/logs/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q "Successfully registered with master" "$out/logs/worker.log" && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$out/logs/worker.log" >&2; echo "cluster-test: the worker did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "Successfully registered with master" "$out/logs/worker.log" \
  || { echo "cluster-test: the worker did not register with $master in 60 s" >&2; exit 1; }
echo "cluster-test: master $master (pid ${pids[0]}), worker with 3 cores and 7g (pid ${pids[1]})"

uri() { echo "file://$1"; }
# Absolute URIs: in cluster deploy mode the driver's working folder is the worker's, not ours.
run_args=(backfill --from "$from" --to "$to" --config "$home/conf/local.yaml"
  --landing "$(uri "$home/data-samples/landing")" --set "paths.reference=$(uri "$home/conf/reference")")

start=$(date +%s)
echo "cluster-test: spark-submit --deploy-mode cluster ... $(basename "$jar") ${run_args[*]} --warehouse $(uri "$out/cluster/warehouse")"
submit_rc=0
in_background "$java" "${flags[@]}" -Xmx512m -cp "$dist_cp" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --deploy-mode cluster --class org.ews.cli.Main \
  --driver-memory 3g --executor-memory 2g --conf spark.executor.cores=1 --conf spark.cores.max=2 \
  --conf "spark.driver.extraJavaOptions=$flags_line" --conf "spark.executor.extraJavaOptions=$flags_line" \
  --conf spark.standalone.submit.waitAppCompletion=true \
  --conf spark.databricks.delta.snapshotPartitions=2 \
  "$jar" "${run_args[@]}" --warehouse "$(uri "$out/cluster/warehouse")" --run-id cluster-test > "$out/logs/submit.log" 2>&1 \
  || submit_rc=$?
driver_dir="$(ls -d "$out"/work/driver-* 2>/dev/null | head -n 1 || true)"
if [[ -n "$driver_dir" && -f "$driver_dir/stdout" ]]; then
  cat "$driver_dir/stdout"
fi
executors="$( (ls -d "$out"/work/app-*/* 2>/dev/null || true) | wc -l)"
# The submitting client exits 0 even when the driver failed: the driver's final state is what counts.
if [[ $submit_rc -ne 0 ]] || ! grep -Eq "State of driver.* is FINISHED" "$out/logs/submit.log"; then
  tail -n 20 "$out/logs/submit.log" >&2
  if [[ -n "$driver_dir" && -f "$driver_dir/stderr" ]]; then tail -n 30 "$driver_dir/stderr" >&2; fi
  echo "cluster-test: the cluster backfill failed (spark-submit exit $submit_rc; logs in $out/logs and $out/work)" >&2
  exit 1
fi
echo "cluster-test: cluster backfill done in $(( $(date +%s) - start )) s on $executors executors"

start=$(date +%s)
in_background "$home/bin/ews" "${run_args[@]}" --warehouse "$out/local/warehouse" --run-id local-test > "$out/logs/local.log" 2>&1 \
  || { tail -n 20 "$out/logs/local.log" >&2; echo "cluster-test: the local backfill failed" >&2; exit 1; }
echo "cluster-test: local backfill done in $(( $(date +%s) - start )) s"

in_background "$home/bin/ews" compare --warehouse "$out/cluster/warehouse" --against "$out/local/warehouse" --schemas gold \
  > "$out/logs/compare.log" || { cat "$out/logs/compare.log"; exit 1; }
cat "$out/logs/compare.log"
# Two empty warehouses would compare the same: the samples must have filled the cube.
cube_rows="$(sed -n 's/^gold\.trade_monthly *rows \([0-9]*\) .*/\1/p' "$out/logs/compare.log")"
if [[ -z "$cube_rows" || "$cube_rows" -eq 0 ]]; then
  echo "cluster-test: gold.trade_monthly is empty in both runs: nothing was really compared" >&2
  exit 1
fi
echo "cluster-test: passed: every gold table of the cluster run equals the local run's"
