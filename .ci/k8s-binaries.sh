#!/usr/bin/env bash
# Builds etcd (Debian's etcd-server) + kube-apiserver + kube-scheduler v1.20.2 for flex-kubernetes'
# integration tests, from Debian's source package of Kubernetes (no registry ships these binaries),
# offline. The binaries are cached outside the repository, in $FLEX_K8S_BIN (default
# ~/.cache/flex-k8s/bin), and rebuilt only when missing. Nothing of Kubernetes' source enters the
# repository. Facts and the two fixes: shared/reference/kubernetes.md.
set -euo pipefail
cache="${FLEX_K8S_CACHE:-$HOME/.cache/flex-k8s}"
bin="${FLEX_K8S_BIN:-$cache/bin}"
version="1.20.5+really1.20.2-1.1+deb12u1"

have_all() {
  [ -x "$bin/etcd" ] && [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-scheduler" ]
}
if have_all; then
  echo "k8s binaries: cached in $bin"
  exit 0
fi
mkdir -p "$bin" "$cache"
export DEBIAN_FRONTEND=noninteractive
need=()
command -v go >/dev/null 2>&1 || need+=(golang-go)
[ -x /usr/bin/etcd ] || need+=(etcd-server)
[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || need+=(golang-github-modern-go-reflect2-dev)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v make >/dev/null 2>&1 || need+=(make)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
if [ "${#need[@]}" -gt 0 ]; then
  echo "k8s binaries: installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
ln -sf /usr/bin/etcd "$bin/etcd"

if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/kube-scheduler" ]; then
  # A private apt configuration holds the deb-src line, so the system's sources stay as they are.
  apt_dir="$cache/apt"
  mkdir -p "$apt_dir/lists/partial"
  echo "deb-src http://deb.debian.org/debian bookworm main" > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
            -o "Dir::State::Lists=$apt_dir/lists")
  src="$cache/src"
  tree="$src/kubernetes-1.20.5+really1.20.2"
  if [ ! -d "$tree" ]; then
    rm -rf "$src" && mkdir -p "$src"
    echo "k8s binaries: fetching Debian source package kubernetes $version"
    apt-get "${apt_opts[@]}" update -qq
    # dpkg-source applies debian/patches/series while unpacking (3.0 quilt format).
    (cd "$src" && apt-get "${apt_opts[@]}" source -qq "kubernetes=$version" >/dev/null)
  fi
  # Fix 1: the vendored reflect2 1.0.1 crashes under Go >= 1.18 on any JSON map; Debian ships 1.0.2.
  # 1.0.1's files differ from 1.0.2's (go_above_17.go is gone), so the old ones go first.
  reflect2="$tree/vendor/github.com/modern-go/reflect2"
  rm -f "$reflect2"/*.go "$reflect2"/*.s
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$reflect2/"
  rm -f "$reflect2"/*_test.go
  # Fix 2: kube-scheduler 1.20.0-1.20.9 never calls an extender's preempt verb (upstream #103019).
  factory="$tree/pkg/scheduler/factory.go"
  if ! grep -q 'frameworkruntime.WithExtenders(extenders)' "$factory"; then
    sed -i 's/^\(\s*\)frameworkruntime.WithPodNominator(nominator),/&\n\1frameworkruntime.WithExtenders(extenders),/' "$factory"
    grep -q 'frameworkruntime.WithExtenders(extenders)' "$factory" \
      || { echo "k8s binaries: could not apply the extender-preempt fix to $factory" >&2; exit 1; }
  fi
  echo "k8s binaries: building kube-apiserver and kube-scheduler (a few minutes)"
  start=$(date +%s)
  (cd "$tree" && GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 KUBE_GIT_VERSION=v1.20.2 \
     make WHAT="cmd/kube-apiserver cmd/kube-scheduler" >"$cache/build.log" 2>&1) \
    || { tail -n 40 "$cache/build.log" >&2; exit 1; }
  cp "$tree/_output/bin/kube-apiserver" "$tree/_output/bin/kube-scheduler" "$bin/"
  echo "k8s binaries: built in $(( $(date +%s) - start )) s"
  # The unpacked tree and its build output take 2 GB; the binaries are all that is kept.
  rm -rf "$src"
fi
have_all && echo "k8s binaries: ready in $bin"
