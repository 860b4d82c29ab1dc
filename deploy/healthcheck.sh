#!/usr/bin/env bash
# Container health check without curl or a second JVM: one HTTP/1.0 GET through bash's /dev/tcp.
# Healthy only when /actuator/health/liveness answers 200 within the timeout. It is on the management port when
# one is set (MANAGEMENT_SERVER_PORT, as in the image), else on the service's port.
set -u
port="${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}}"
path="${LEDGER_HEALTHCHECK_PATH:-/actuator/health/liveness}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
