#!/usr/bin/env bash
# Flex against kube-scheduler on the same real kube-apiserver: starts etcd, kube-apiserver and
# kube-scheduler v1.20.2 on loopback (binaries from .ci/k8s-binaries.sh, cached in $FLEX_K8S_BIN,
# default ~/.cache/flex-k8s/bin), then runs `./flex kube-bench` once per scheduler, each run with
# fresh nodes and pods. Usage:
#   benchmarks/kube-bench.sh [NODES] [PODS] [FRACTIONAL]     (defaults: 1000 4000 0)
# `./flex kube-bench` alone does the same with a control plane per scheduler; this script keeps one
# API server for both runs and reports its CPU. WORKLOAD (uniform, the default here, or trace) chooses the objects.
# KS_QPS sets kube-scheduler's client QPS (its default is 50; burst is twice it); ARRIVALS (backlog stream)
# and SCHEDULERS (flex default-scheduler) choose the runs; JAVA_OPTS go to the bench's JVM. Prints one line
# per run; BENCHMARKS.md §7 has the figures and how to read them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${FLEX_K8S_BIN:-$HOME/.cache/flex-k8s/bin}"
nodes="${1:-1000}"
pods="${2:-4000}"
fractional="${3:-0}"
qps="${KS_QPS:-50}"
for b in etcd kube-apiserver kube-scheduler; do
  [ -x "$bin/$b" ] || { echo "kube-bench: $bin/$b missing; run .ci/k8s-binaries.sh first" >&2; exit 2; }
done
work="$(mktemp -d "${TMPDIR:-/tmp}/flex-kube-bench.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_port="$(port)"; peer_port="$(port)"; api_port="$(port)"
token="flex-bench-$RANDOM$RANDOM"
echo "$token,flex-admin,flex-admin-uid,\"system:masters\"" > "$work/tokens.csv"
openssl genrsa -out "$work/sa.key" 2048 2>/dev/null
"$bin/etcd" --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "default=http://127.0.0.1:$peer_port" \
  --unsafe-no-fsync=true --logger zap --log-level error > "$work/etcd.log" 2>&1 &
pids+=($!)
"$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" --bind-address 127.0.0.1 \
  --secure-port "$api_port" --insecure-port 0 --cert-dir "$work/certs" --token-auth-file "$work/tokens.csv" \
  --authorization-mode RBAC --service-account-issuer https://flex.bench \
  --service-account-key-file "$work/sa.key" --service-account-signing-key-file "$work/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 --disable-admission-plugins ServiceAccount,TaintNodesByCondition \
  --endpoint-reconciler-type none --v 0 > "$work/apiserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  if curl -sk -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" 2>/dev/null | grep -q '^ok'; then break; fi
  sleep 0.5
done
cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: "https://127.0.0.1:$api_port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: bench
  context: {cluster: bench, user: admin, namespace: default}
current-context: bench
EOF
cat > "$work/kube-scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1beta1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $work/kubeconfig
  qps: $qps
  burst: $((qps * 2))
leaderElection:
  leaderElect: false
healthzBindAddress: 127.0.0.1:$(port)
metricsBindAddress: 127.0.0.1:$(port)
EOF
ks="$bin/kube-scheduler --config $work/kube-scheduler.yaml --bind-address=127.0.0.1 --secure-port=$(port) --port=0 --authentication-skip-lookup=true --v=0"
cd "$here"
echo "# kube-apiserver/etcd/kube-scheduler v1.20.2 on loopback; kube-scheduler client QPS $qps, burst $((qps * 2))"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {
  local before_api before_etcd
  before_api="$(cpu "${pids[1]}")"; before_etcd="$(cpu "${pids[0]}")"
  java ${JAVA_OPTS:-} -Djava.awt.headless=true -jar "$here/flex-kubernetes/target/flex-kubernetes.jar" kube-bench \
    --kubeconfig "$work/kubeconfig" --workload "${WORKLOAD:-uniform}" --nodes "$nodes" --pods "$pods" --fractional "$fractional" "$@" | grep -v '^#'
  echo "#   CPU seconds during that run: kube-apiserver $(( ($(cpu "${pids[1]}") - before_api) / $(getconf CLK_TCK) )), etcd $(( ($(cpu "${pids[0]}") - before_etcd) / $(getconf CLK_TCK) ))"
}
./flex kube-bench --help > /dev/null  # builds flex-kubernetes.jar when stale
echo "# scheduler, arrivals (backlog: every pod exists before the scheduler starts; stream: created while it runs), nodes,"
echo "# pods, bound, half-GPU pods bound/asked, seconds to the last binding, bound pods/s, creates/s, latency first/p50/p99, GPUs allocated,"
echo "# nodes over-committed"
for arrivals in ${ARRIVALS:-backlog stream}; do
  for s in ${SCHEDULERS:-flex default-scheduler}; do
    if [ "$s" = flex ]; then
      run --arrivals "$arrivals" --scheduler flex
    else
      run --arrivals "$arrivals" --scheduler default-scheduler --scheduler-command "$ks"
    fi
  done
done
