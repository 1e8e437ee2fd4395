#!/usr/bin/env bash
# Internet-like lab in network namespaces, then InternetScanBench against it. Needs root.
# Called by bench.sh scan (which sets BENCH_CLASSPATH); extra arguments go to InternetScanBench.
#
# Two namespaces, RFC 2544 benchmarking addresses only, nothing in the host's own network stack:
#   tlsxscan  (the scanner JVM)  tlsxb0 198.19.255.1/30  <-veth->  tlsxb1 198.19.255.2/30  tlsxbench (the lab)
#   The scanner's namespace has no default route: whatever happens, its packets cannot leave the machine.
#   tlsxbench: local route 198.18.0.0/16 on lo (AnyIP), so the one lab listener on :443 answers every
#   address; nftables by last octet: 0-12 TLS (the lab), 13-25 TCP RST, 26-255 dropped silently.
#   50 ms delay: `tc qdisc netem` on tlsxb1 where the kernel has sch_netem; otherwise (e.g. Firecracker
#   kernels) the scanner's route to 198.18.0.0/16 goes into a TUN device tlsxd0 and netdelay.py passes
#   each packet on to the veth 50 ms later (the same added round trip, the other direction delayed).
# Everything is torn down on exit, failure included: processes by PID, then both namespaces (with their
# veth, TUN, nft table, qdisc and routes).
set -euo pipefail
SCAN_NS=tlsxscan
LAB_NS=tlsxbench
SCAN_IF=tlsxb0
LAB_IF=tlsxb1
TUN_IF=tlsxd0
RANGE=198.18.0.0/16
SCAN_ADDR=198.19.255.1
LAB_ADDR=198.19.255.2
TLS_BELOW=13
REFUSE_BELOW=26
DELAY=${SCAN_DELAY:-50ms}
: "${BENCH_CLASSPATH:?run through bench.sh scan, which sets BENCH_CLASSPATH}"
java=java
[ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
here="$(cd "$(dirname "$0")" && pwd)"

[ "$(id -u)" = 0 ] || { echo "scan-lab.sh: needs root (network namespaces, veth, nftables)" >&2; exit 2; }
if ! command -v nft >/dev/null; then
  echo "scan-lab.sh: installing nftables (Debian package)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y nftables >/dev/null
fi
for ns in "$SCAN_NS" "$LAB_NS"; do
  if ip netns list | grep -qw "$ns"; then
    echo "scan-lab.sh: namespace $ns already exists (another run, or a leftover: ip netns del $ns)" >&2
    exit 2
  fi
done

lab_pid=""
scan_pid=""
delay_pid=""
created=0
workdir="$(mktemp -d)"
cleanup() {
  set +e
  for pid in $scan_pid $delay_pid $lab_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null
    fi
  done
  if [ "$created" = 1 ]; then
    ip netns del "$SCAN_NS" 2>/dev/null
    ip netns del "$LAB_NS" 2>/dev/null
  fi
  rm -rf "$workdir"
  echo "scan-lab.sh: torn down (namespaces $SCAN_NS and $LAB_NS with their links, nft table and routes; PIDs ${scan_pid:--} ${delay_pid:--} ${lab_pid:--})" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

created=1
ip netns add "$SCAN_NS"
ip netns add "$LAB_NS"
ip -n "$SCAN_NS" link add "$SCAN_IF" type veth peer name "$LAB_IF" netns "$LAB_NS"
ip -n "$SCAN_NS" link set lo up
ip -n "$SCAN_NS" addr add "$SCAN_ADDR/30" dev "$SCAN_IF"
ip -n "$SCAN_NS" link set "$SCAN_IF" up
ip -n "$LAB_NS" link set lo up
ip -n "$LAB_NS" addr add "$LAB_ADDR/30" dev "$LAB_IF"
ip -n "$LAB_NS" link set "$LAB_IF" up
ip -n "$LAB_NS" route add local "$RANGE" dev lo
ip netns exec "$LAB_NS" sysctl -q -w net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
ip netns exec "$SCAN_NS" sysctl -q -w net.ipv4.ip_local_port_range="1024 65000"
ip netns exec "$LAB_NS" nft -f - <<NFT
table ip tlsxbench {
  chain input {
    type filter hook input priority 0; policy accept;
    ip daddr $RANGE ip daddr & 0.0.0.255 >= 0.0.0.$REFUSE_BELOW drop
    ip daddr $RANGE ip daddr & 0.0.0.255 >= 0.0.0.$TLS_BELOW tcp dport 443 reject with tcp reset
  }
}
NFT
if ip netns exec "$LAB_NS" tc qdisc add dev "$LAB_IF" root netem delay "$DELAY" limit 1000000 2>/dev/null; then
  delay_how="netem on $LAB_IF"
  route_if="$SCAN_IF"
  ip -n "$SCAN_NS" route add "$RANGE" via "$LAB_ADDR" dev "$SCAN_IF"
else
  delay_how="netdelay.py (no sch_netem in this kernel): $TUN_IF -> $SCAN_IF"
  route_if="$TUN_IF"
  peer_mac="$(ip -n "$LAB_NS" -o link show "$LAB_IF" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')"
  ip -n "$SCAN_NS" tuntap add dev "$TUN_IF" mode tun
  # The default queue (500 packets) would drop most of a burst of SYNs before netdelay.py reads them.
  ip -n "$SCAN_NS" link set "$TUN_IF" txqueuelen 100000 up
  ip netns exec "$SCAN_NS" sysctl -q -w net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$SCAN_IF.rp_filter=0" \
    "net.ipv4.conf.$TUN_IF.rp_filter=0"
  # Real-time priority: netem would run in the kernel's softirq, ahead of every process; a starved delay line
  # on a loaded machine would add seconds, not milliseconds.
  ip netns exec "$SCAN_NS" chrt -f 10 python3 "$here/netdelay.py" "$TUN_IF" "$SCAN_IF" "$peer_mac" "${DELAY%ms}" "$RANGE" \
    >"$workdir/delay.log" 2>&1 &
  delay_pid=$!
  ip -n "$SCAN_NS" route add "$RANGE" dev "$TUN_IF" src "$SCAN_ADDR"
fi
if ip -n "$SCAN_NS" route show default | grep -q .; then
  echo "scan-lab.sh: the scanner namespace has a default route; refusing" >&2
  exit 1
fi

ip netns exec "$LAB_NS" "$java" -Xmx384m -cp "$BENCH_CLASSPATH" io.tlsxtractor.tlslab.LabMain \
  --range "$RANGE" --port 443 --allow-non-loopback-range >"$workdir/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 300); do
  grep -q "TLS lab listening on port" "$workdir/lab.log" && break
  kill -0 "$lab_pid" 2>/dev/null || { echo "scan-lab.sh: the lab died:" >&2; cat "$workdir/lab.log" >&2; exit 1; }
  sleep 0.2
done
grep -q "TLS lab listening on port" "$workdir/lab.log" || { echo "scan-lab.sh: the lab did not start:" >&2; cat "$workdir/lab.log" >&2; exit 1; }
echo "scan-lab.sh: lab PID $lab_pid on $RANGE:443 in $LAB_NS; scanner in $SCAN_NS (no default route); octets <$TLS_BELOW TLS," \
  "<$REFUSE_BELOW RST, rest dropped; delay $DELAY by $delay_how" >&2

if [ -n "${SCAN_HOLD:-}" ]; then
  # Debugging aid: keep the lab up for SCAN_HOLD seconds instead of running the benchmark
  # (run things in the scanner's namespace with: ip netns exec $SCAN_NS ...).
  echo "scan-lab.sh: holding the lab for $SCAN_HOLD s (lab log $workdir/lab.log)" >&2
  sleep "$SCAN_HOLD" & scan_pid=$!
  wait "$scan_pid"
  exit 0
fi
ulimit -n "$(ulimit -Hn)"
ip netns exec "$SCAN_NS" "$java" ${SCAN_JAVA_OPTS:--Xmx512m} -cp "$BENCH_CLASSPATH" io.tlsxtractor.bench.InternetScanBench \
  --range "$RANGE" --port 443 --tls-below "$TLS_BELOW" --refuse-below "$REFUSE_BELOW" --interface "$route_if" "$@" &
scan_pid=$!
wait "$scan_pid"
