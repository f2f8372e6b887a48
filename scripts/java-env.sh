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
# Maven's bundled Guava warns about sun.misc.Unsafe on JDK 24+; keep the build output readable.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
