#!/usr/bin/env bash
# Runs one benchmark of the probe engine: bench.sh cpu|scan|jmh [options of the benchmark]
#   cpu   HandshakeCpuBench: CPU per handshake vs openssl s_time (lab as a child JVM on 127.88.0.0/23)
#   scan  InternetScanBench in a network namespace (via scan-lab.sh; needs root)
#   jmh   CertificateParsingBench (JMH, ~1.5 min)
# Builds this module first (BENCH_BUILD=0 skips it; BENCH_BUILD=am also builds the modules it needs,
# for a fresh clone) and computes the class path with dependency:build-classpath.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name="${1:-}"
[ -n "$name" ] || { sed -n '2,7p' "$0"; exit 2; }
shift
cd "$root"
case "${BENCH_BUILD:-1}" in
  0) ;;
  am) ./mvnw -B -q -pl probe-workers/probe-benchmarks -am install -DskipTests ;;
  *) ./mvnw -B -q -o -pl probe-workers/probe-benchmarks install -DskipTests ;;
esac
cpfile="$here/target/bench.classpath"
if [ "${BENCH_BUILD:-1}" != 0 ] || [ ! -s "$cpfile" ]; then
  ./mvnw -B -q -o -pl probe-workers/probe-benchmarks dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime
fi
export BENCH_CLASSPATH="$here/target/classes:$(cat "$cpfile")"
java=java
[ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
case "$name" in
  cpu) exec "$java" -Xmx512m -cp "$BENCH_CLASSPATH" io.tlsxtractor.bench.HandshakeCpuBench "$@" ;;
  jmh) exec "$java" -Xmx512m -cp "$BENCH_CLASSPATH" io.tlsxtractor.bench.CertificateParsingBench "$@" ;;
  scan) exec "$here/scan-lab.sh" "$@" ;;
  *) echo "bench.sh: unknown benchmark '$name' (cpu, scan, jmh)" >&2; exit 2 ;;
esac
