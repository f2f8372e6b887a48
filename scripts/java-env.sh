# Sourced by ./pktlab and ./run-tests: picks a JDK >= 21 for the build and the run.
# The machine's default JDK is 17; the project targets Java 21 and builds with a newer Temurin.
pktlab_java_major() { "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(pktlab_java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for d in $(ls -d /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/jdk-2[1-9]* 2>/dev/null | sort -rV); do
    if [ -x "$d/bin/java" ] && [ "$(pktlab_java_major "$d")" -ge 21 ] 2>/dev/null; then JAVA_HOME=$d; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "pktlab: needs a JDK 21 or newer (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Options of every PacketLab JVM (config.JvmOptions says why): native access for JNA, and from
# Java 23 on, sun.misc.Unsafe for Netty (about 1.5x the bulk throughput on Java 25).
PKTLAB_JVM_OPTS="--enable-native-access=ALL-UNNAMED"
pktlab_release_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ "${pktlab_release_major:-0}" -ge 23 ] 2>/dev/null; then
  PKTLAB_JVM_OPTS="$PKTLAB_JVM_OPTS --sun-misc-unsafe-memory-access=allow"
fi
# Maven's bundled Guava warns about sun.misc.Unsafe on JDK 24+; keep the build output readable.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
