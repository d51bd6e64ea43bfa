#!/usr/bin/env bash
# The flex command line (flex replay, flex plan, flex timeline, flex bound, flex kube-scheduler, flex kube-extender). Builds the CLI with the Maven
# wrapper on first use, and again whenever a source or POM is newer than the built jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# kube-scheduler and kube-extender live in flex-kubernetes' own jar, so the simulator's jar carries
# no Kubernetes client.
module="flex-sim"
jar="$here/flex-sim/target/flex.jar"
case "${1:-}" in
  kube-scheduler|kube-extender|kube-bench)
    module="flex-kubernetes"
    jar="$here/flex-kubernetes/target/flex-kubernetes.jar"
    ;;
esac
stale=""
if [ -f "$jar" ]; then
  stale="$(find "$here" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$jar" -print 2>/dev/null | head -n 1)"
fi
if [ ! -f "$jar" ] || [ -n "$stale" ]; then
  echo "flex: building the CLI (first use takes a minute)..." >&2
  (cd "$here" && ./mvnw -q -B -DskipTests -pl "$module" -am package) >&2
fi
exec java -Djava.awt.headless=true -jar "$jar" "$@"
