#!/bin/bash
# Runs as root in the official mongo image, then hands over to its entrypoint.
# A replica set with authentication needs a keyfile (members authenticate to
# each other with it) that only the mongodb user can read. It is made once,
# at the --keyFile path given in the command, and kept in that volume.
set -euo pipefail

keyfile=""
previous=""
for arg in "$@"; do
    if [ "$previous" = "--keyFile" ]; then
        keyfile="$arg"
    elif [ "${arg#--keyFile=}" != "$arg" ]; then
        keyfile="${arg#--keyFile=}"
    fi
    previous="$arg"
done

if [ -n "$keyfile" ]; then
    if [ ! -s "$keyfile" ]; then
        mkdir -p "$(dirname "$keyfile")"
        # 756 random bytes are 1008 base64 characters; MongoDB accepts 6 to 1024.
        (umask 077 && head -c 756 /dev/urandom | base64 -w 0 > "$keyfile")
        echo "made the replica set keyfile $keyfile" >&2
    fi
    chown mongodb:mongodb "$keyfile"
    chmod 400 "$keyfile"
fi

exec docker-entrypoint.sh "$@"
