#!/usr/bin/env bash
# The serving jar against the full jar in one run: `describe` (a JVM start that loads the CLI and builds a
# topology, no broker), and `run` from the start of the JVM to its HTTP port (the "streamcast running" line), to
# RUNNING (/ready answers 200) and its resident memory (RSS) once idle. Both run the shipped electricity spec against
# one local broker, with the JVM flags the launcher and the images give them, alternating, each `rounds` times
# (default 3); prints one line per start and the medians. Build both jars first: mvn -o -B -q -DskipTests package. Used for BENCHMARKS.md.
#   scripts/serving-footprint.sh [rounds] [idle seconds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
idle="${2:-30}"
full="$here/target/streamcast.jar"
serving="$here/target/streamcast-serving.jar"
for jar in "$full" "$serving"; do
  [ -f "$jar" ] || { echo "missing $jar; build with: mvn -o -B -q -DskipTests package" >&2; exit 1; }
done
work="$(mktemp -d)"
broker_pid=""
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

java -XX:+UseParallelGC -jar "$full" broker --port 0 >"$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 600); do
  bootstrap="$(sed -n 's/.*ready at \([^ ]*\) in.*/\1/p' "$work/broker.out")"
  [ -n "$bootstrap" ] && break
  sleep 0.1
done
[ -n "$bootstrap" ] || { echo "the broker did not start:" >&2; cat "$work/broker.out" >&2; exit 1; }

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# measure NAME FLAGS...: one describe and one run; appends "ready_ms rss_kib http_ms describe_ms" to $work/NAME
measure() {
  local name="$1"; shift
  local run="$work/$name-$(date +%s%N)"
  mkdir -p "$run"
  local t0; t0="$(ms)"
  java "$@" describe --topology "$here/topologies/electricity.yaml" >/dev/null 2>&1
  local described=$(( $(ms) - t0 ))
  t0="$(ms)"
  java "$@" run --topology "$here/topologies/electricity.yaml" --bootstrap "$bootstrap" \
    --state-dir "$run/state" --http-port 0 --application-id-prefix "footprint-${run##*-}" \
    --log-file "$run/streamcast.log" >"$run/out" 2>&1 &
  local pid=$! port="" ready="" http=""
  for _ in $(seq 1200); do
    port="${port:-$(sed -n 's|.*metrics at http://[^:]*:\([0-9]*\)/metrics.*|\1|p' "$run/out")}"
    [ -n "$port" ] && [ -z "$http" ] && http="$(ms)"
    if [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; then
      ready="$(ms)"
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$ready" ] || { echo "$name did not get ready:" >&2; cat "$run/out" >&2; kill "$pid" 2>/dev/null; exit 1; }
  sleep "$idle"
  local rss; rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" || true
  echo "$((ready - t0)) $rss $((http - t0)) $described" >>"$work/$name"
  printf '%-8s describe %5d ms   run: to HTTP %5d ms, to RUNNING %6d ms, idle RSS %4d MiB\n' "$name" \
    "$described" "$((http - t0))" "$((ready - t0))" "$((rss / 1024))"
}

for _ in $(seq "$rounds"); do
  measure full -XX:+UseParallelGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 --add-modules jdk.incubator.vector \
    -jar "$full"
  measure serving -XX:+UseParallelGC --add-modules jdk.incubator.vector -jar "$serving"
done

median() { sort -n | awk '{a[NR]=$1} END {printf "%d\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for name in full serving; do
  jar="$full"; [ "$name" = serving ] && jar="$serving"
  printf '%-8s median of %d: describe %d ms; run to HTTP %d ms, to RUNNING %d ms, idle RSS %d MiB; jar %d MB\n' \
    "$name" "$rounds" "$(cut -d' ' -f4 "$work/$name" | median)" "$(cut -d' ' -f3 "$work/$name" | median)" \
    "$(cut -d' ' -f1 "$work/$name" | median)" "$(( $(cut -d' ' -f2 "$work/$name" | median) / 1024 ))" \
    "$(( $(stat -c %s "$jar") / 1000000 ))"
done
