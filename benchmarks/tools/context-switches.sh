#!/usr/bin/env bash
# Context switches and CPU time per request of one HTTP benchmark server under wrk (Linux only).
# Usage: benchmarks/tools/context-switches.sh concurrence|concurrence-carrier|helidon-se|reactor-netty [connections]
# Needs benchmarks/target/benchmarks.jar (see benchmarks/README.md), wrk and bc; JAVA_HOME a JDK 21+.
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=$1
connections=${2:-256}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
log=$(mktemp)
"$java" -Xmx512m --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED ${JVM_OPTS:-} \
    -cp benchmarks/target/benchmarks.jar io.concurrence.benchmarks.load.HttpBenchServer "$variant" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 150); do grep -q LISTENING "$log" && break; sleep 0.2; done
url="http://127.0.0.1:$(grep LISTENING "$log" | awk '{print $2}')/plaintext"
switches() { cat /proc/$pid/task/*/status 2>/dev/null | awk '/voluntary_ctxt_switches/ {s += $2} END {print s}'; }
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
wrk -t2 -c"$connections" -d5s "$url" >/dev/null # warm-up
s0=$(switches); t0=$(ticks)
out=$(wrk -t2 -c"$connections" -d6s "$url")
s1=$(switches); t1=$(ticks)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
hz=$(getconf CLK_TCK)
echo "$variant: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s," \
    "$(echo "scale=2; ($s1 - $s0) / $requests" | bc) context switches/request," \
    "$(echo "scale=1; ($t1 - $t0) * 1000 * 1000 / $hz / $requests" | bc) CPU ms/1000 requests"
