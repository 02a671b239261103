#!/bin/bash
# create-secrets.sh ENV_FILE NAMESPACE: makes (or updates) the Secrets the manifests
# reference, from the same variables as compose's .env (see .env.example), so no secret
# value is ever in the repository. Needs kubectl pointed at the cluster and bash;
# run it from anywhere, before `kubectl apply -k` (and again after changing a value).
#
#   cp .env.example .env.cluster    # real values: openssl rand -hex 32 per secret
#   deploy/kubernetes/create-secrets.sh .env.cluster kim-contest
#
# Values go to kubectl in files (mode 600, in a temporary directory removed at exit),
# never on its command line. The Secrets:
#   kim-rabbitmq-definitions  definitions.json: the broker's users, permissions and
#                             topology with these passwords (deploy/rabbitmq/render-definitions.sh)
#   kim-rabbitmq-users        each service's and the console's broker password
#   kim-mongodb-passwords     each service's MongoDB password, and the administrator's (admin)
#   kim-auth                  token-secret: the services' shared token key
#   kim-console               session-secret: the console's cookies and CSRF tokens
#   kim-voting                challenge-hmac-key: signs the voting service's proof-of-work challenges
#   kim-smtp                  the mail relay's logins: notifications', the registry's
#   kim-first-admin           the first staff account
#   kim-whatsapp              only when NOTIFICATIONS_WHATSAPP_TOKEN is set: WhatsApp on
# The operator for MongoDB then makes kim-mongodb-<service> (each service's connection string).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo >&2 "usage: $0 ENV_FILE NAMESPACE"
    exit 2
fi
env_file="$1"
namespace="$2"
here="$(dirname "$(readlink -f "$0")")"
rabbitmq="$here/../rabbitmq"

# KEY=VALUE lines, # comments and blank lines; a value may be in double or single quotes.
# Read, not sourced: nothing in the file is run.
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    name="${line%%=*}"
    value="${line#*=}"
    if [[ ! "$name" =~ ^[A-Z][A-Z0-9_]*$ ]]; then
        echo >&2 "error: $env_file: not a KEY=VALUE line: $name"
        exit 1
    fi
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
        value="${BASH_REMATCH[1]}"
    fi
    export "$name=$value"
done < "$env_file"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077

# secret NAME KEY=VARIABLE...: the Secret NAME with each KEY holding $VARIABLE.
secret() {
    local name="$1"
    shift
    local args=() pair key variable
    mkdir -p "$work/$name"
    for pair in "$@"; do
        key="${pair%%=*}"
        variable="${pair#*=}"
        if [ -z "${!variable:-}" ]; then
            echo >&2 "error: $variable is not set in $env_file (see .env.example)"
            exit 1
        fi
        printf '%s' "${!variable}" > "$work/$name/$key"
        args+=("--from-file=$key=$work/$name/$key")
    done
    kubectl create secret generic "$name" --namespace "$namespace" "${args[@]}" \
        --dry-run=client --output yaml | kubectl apply --namespace "$namespace" -f -
}

# The broker's definitions refuse placeholders and characters a URL would need escaped.
mkdir -p "$work/kim-rabbitmq-definitions"
bash "$rabbitmq/render-definitions.sh" "$rabbitmq/definitions.template.json" "$work/definitions.json"
KIM_DEFINITIONS="$(<"$work/definitions.json")"
export KIM_DEFINITIONS
secret kim-rabbitmq-definitions definitions.json=KIM_DEFINITIONS

secret kim-rabbitmq-users \
    registry=RABBITMQ_REGISTRY_PASSWORD \
    submissions=RABBITMQ_SUBMISSIONS_PASSWORD \
    judging=RABBITMQ_JUDGING_PASSWORD \
    notifications=RABBITMQ_NOTIFICATIONS_PASSWORD \
    voting=RABBITMQ_VOTING_PASSWORD \
    console=RABBITMQ_CONSOLE_PASSWORD
secret kim-mongodb-passwords \
    admin=MONGO_INITDB_ROOT_PASSWORD \
    registry=MONGO_REGISTRY_PASSWORD \
    submissions=MONGO_SUBMISSIONS_PASSWORD \
    judging=MONGO_JUDGING_PASSWORD \
    notifications=MONGO_NOTIFICATIONS_PASSWORD \
    voting=MONGO_VOTING_PASSWORD
secret kim-auth token-secret=AUTH_TOKEN_SECRET
secret kim-voting challenge-hmac-key=VOTING_CHALLENGE_HMAC_KEY
secret kim-console session-secret=CONSOLE_SESSION_SECRET
secret kim-smtp \
    username=SMTP_USERNAME \
    password=SMTP_PASSWORD \
    registry-username=REGISTRY_SMTP_USERNAME \
    registry-password=REGISTRY_SMTP_PASSWORD
secret kim-first-admin email=REGISTRY_FIRST_ADMIN_EMAIL password=REGISTRY_FIRST_ADMIN_PASSWORD
if [ -n "${NOTIFICATIONS_WHATSAPP_TOKEN:-}" ]; then
    secret kim-whatsapp \
        token=NOTIFICATIONS_WHATSAPP_TOKEN \
        phone-number-id=NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID \
        app-secret=NOTIFICATIONS_WHATSAPP_APP_SECRET \
        verify-token=NOTIFICATIONS_WHATSAPP_VERIFY_TOKEN
fi
