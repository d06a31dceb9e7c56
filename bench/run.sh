#!/usr/bin/env bash
# Builds StreamViz and runs its benchmarks; writes bench/results/BENCHMARKS.md and its plots.
#   bench/run.sh                  every benchmark, 3 runs each (about an hour on 2 cores)
#   bench/run.sh fanout latency   only these; the others' stored results stay in the report
#   bench/run.sh --quick          small inputs, one run, into bench/target/quick-results
set -euo pipefail
cd "$(dirname "$0")/.."
# package, not install: the benchmark's classpath points into the modules' target/ folders, so
# nothing in ~/.m2 changes and two checkouts can benchmark side by side.
mvn -B -q -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -pl bench -am
# The fan-out benchmark's reference server (npm ws), again only when its lock file changed.
ws_reference=bench/ws-reference
if [ ! -f "$ws_reference/node_modules/.package-lock.json" ] \
        || [ "$ws_reference/package-lock.json" -nt "$ws_reference/node_modules/.package-lock.json" ]; then
    (cd "$ws_reference" && npm ci --silent --no-audit --no-fund)
fi
# BENCH_JAVA_OPTS: extra JVM options, e.g. -Dbench.throughput.orders=500000 while developing.
exec java -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    io.streamviz.bench.BenchmarkSuite "$@"
