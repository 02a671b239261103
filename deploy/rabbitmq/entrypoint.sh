#!/bin/bash
# Runs as root in the official rabbitmq image, then hands over to its entrypoint.
# Writes the definitions the broker imports at every boot (rabbitmq.conf):
# users, permissions, exchanges, queues and bindings, with the passwords from
# this container's environment. A changed password in .env is the broker's
# password after `docker compose up -d` re-creates the container.
set -euo pipefail

here="$(dirname "$(readlink -f "$0")")"
definitions=/etc/rabbitmq/definitions.json
bash "$here/render-definitions.sh" "$here/definitions.template.json" "$definitions"
chown rabbitmq:rabbitmq "$definitions"

exec docker-entrypoint.sh "$@"
