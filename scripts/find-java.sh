# Finds a JDK 25 or newer for Basalt. Sourced by ./basalt and .ci/run; defines functions only.
#
#   basalt_find_java   sets BASALT_FOUND_JAVA_HOME (the JDK directory) and BASALT_FOUND_JAVA
#                      (its bin/java); on failure prints how to install a JDK 25 to stderr and
#                      returns 1.
#
# Order: $BASALT_JAVA_HOME (must be 25+ if set), then $JAVA_HOME if it is 25+, then
# /usr/lib/jvm/*25* (the root can be moved with BASALT_JVM_ROOT, which the tests use), then
# `java` on PATH if it is 25+. Uses only bash built-ins, so it works with an empty PATH.

BASALT_REQUIRED_JAVA_MAJOR=25

# Prints the major version of the JDK at $1 (a JDK home), or nothing if it cannot tell.
basalt_java_major() {
  local home=$1 line version
  if [[ -r "$home/release" ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line =~ ^JAVA_VERSION=\"?([0-9]+)(\.([0-9]+))? ]]; then
        version=${BASH_REMATCH[1]}
        # Java 8 and older call themselves 1.x.
        [[ $version == 1 ]] && version=${BASH_REMATCH[3]}
        printf '%s\n' "$version"
        return 0
      fi
    done <"$home/release"
  fi
  if [[ -x "$home/bin/java" ]]; then
    # java -version prints e.g.: openjdk version "25.0.1" 2025-10-21
    while IFS= read -r line; do
      if [[ $line =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
        version=${BASH_REMATCH[1]}
        [[ $version == 1 ]] && version=${BASH_REMATCH[3]}
        printf '%s\n' "$version"
        return 0
      fi
    done < <("$home/bin/java" -version 2>&1)
  fi
  return 0
}

# Succeeds if $1 is a JDK home (has bin/java and bin/javac) of version 25 or newer.
basalt_is_usable_jdk() {
  local home=$1 major
  [[ -n $home && -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
  major=$(basalt_java_major "$home")
  [[ -n $major && $major -ge $BASALT_REQUIRED_JAVA_MAJOR ]]
}

basalt_find_java() {
  local candidate resolved
  BASALT_FOUND_JAVA_HOME=
  BASALT_FOUND_JAVA=
  if [[ -n ${BASALT_JAVA_HOME:-} ]]; then
    if basalt_is_usable_jdk "$BASALT_JAVA_HOME"; then
      BASALT_FOUND_JAVA_HOME=$BASALT_JAVA_HOME
    else
      printf 'basalt: BASALT_JAVA_HOME=%s is not a JDK %s or newer (needs bin/java and bin/javac).\n' \
        "$BASALT_JAVA_HOME" "$BASALT_REQUIRED_JAVA_MAJOR" >&2
      return 1
    fi
  elif [[ -n ${JAVA_HOME:-} ]] && basalt_is_usable_jdk "$JAVA_HOME"; then
    BASALT_FOUND_JAVA_HOME=$JAVA_HOME
  else
    # Newest first: the glob sorts ascending, so walk it backwards.
    local -a candidates=("${BASALT_JVM_ROOT:-/usr/lib/jvm}"/*25*)
    local index
    for ((index = ${#candidates[@]} - 1; index >= 0; index--)); do
      candidate=${candidates[index]}
      if basalt_is_usable_jdk "$candidate"; then
        BASALT_FOUND_JAVA_HOME=$candidate
        break
      fi
    done
    if [[ -z $BASALT_FOUND_JAVA_HOME ]] && resolved=$(type -P java); then
      # Follow symbolic links (e.g. /usr/bin/java -> /etc/alternatives/java -> .../bin/java).
      while [[ -L $resolved ]]; do
        local target
        target=$(readlink "$resolved" 2>/dev/null) || break
        [[ $target == /* ]] || target=${resolved%/*}/$target
        resolved=$target
      done
      candidate=${resolved%/bin/java}
      if [[ $candidate != "$resolved" ]] && basalt_is_usable_jdk "$candidate"; then
        BASALT_FOUND_JAVA_HOME=$candidate
      fi
    fi
  fi
  if [[ -z $BASALT_FOUND_JAVA_HOME ]]; then
    {
      printf 'basalt: no JDK %s found. Basalt needs Java %s or newer.\n' \
        "$BASALT_REQUIRED_JAVA_MAJOR" "$BASALT_REQUIRED_JAVA_MAJOR"
      printf '  Looked at $BASALT_JAVA_HOME, $JAVA_HOME, %s/*25* and java on PATH.\n' \
        "${BASALT_JVM_ROOT:-/usr/lib/jvm}"
      printf "  Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium's apt repository)\n"
      printf '  or a JDK 25 from https://adoptium.net, then run again (or set BASALT_JAVA_HOME).\n'
    } >&2
    return 1
  fi
  BASALT_FOUND_JAVA=$BASALT_FOUND_JAVA_HOME/bin/java
  return 0
}
