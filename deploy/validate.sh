#!/usr/bin/env bash
# Checks everything under deploy/ without a Docker engine or a Kubernetes cluster; fails on any problem.
#   bash deploy/validate.sh
# Installs missing validators first: Debian packages when running as root (yamllint, jq, shellcheck,
# docker-compose, nodejs/npm), promtool extracted from Debian's prometheus package into deploy/tools/.bin
# (installing the package itself would start a Prometheus server), npm tools into deploy/tools/node_modules.
# Single-quoted $ and backticks below are literal on purpose (PromQL variables, Markdown code spans).
# shellcheck disable=SC2016
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$deploy_dir")"
tools_dir="$deploy_dir/tools"
cd "$repo_dir"
start=$(date +%s)
failures=0

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; failures=$((failures + 1)); }
run() { # run <description> <command...>: runs a check quietly, shows its output and records a failure if it fails
  local what="$1" out; shift
  if out="$("$@" 2>&1)"; then printf 'ok: %s\n' "$what"; else printf '%s\n' "$out" >&2; fail "$what"; fi
}

# ---------------------------------------------------------------- tools
apt_updated=false
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: $* (run as root to install them, or install them yourself)" >&2
    exit 2
  fi
  if [ "$apt_updated" = false ]; then
    apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

step "validators"
missing=()
command -v yamllint >/dev/null || missing+=(yamllint)
command -v jq >/dev/null || missing+=(jq)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v python3 >/dev/null || missing+=(python3)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  missing+=(docker-compose)
  compose=(docker-compose)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi

promtool_bin="$(command -v promtool || true)"
if [ -z "$promtool_bin" ]; then
  promtool_bin="$tools_dir/.bin/promtool"
  if [ ! -x "$promtool_bin" ]; then
    echo "extracting promtool from Debian's prometheus package"
    if [ "$apt_updated" = false ] && [ "$(id -u)" -eq 0 ]; then apt-get update -qq; apt_updated=true; fi
    tmp_deb="$(mktemp -d)"
    chmod 755 "$tmp_deb"  # apt downloads as user _apt
    (cd "$tmp_deb" && apt-get download -qq prometheus >/dev/null)
    dpkg-deb -x "$tmp_deb"/prometheus_*.deb "$tmp_deb/x"
    mkdir -p "$tools_dir/.bin"
    cp "$tmp_deb/x/usr/bin/promtool" "$promtool_bin"
    rm -rf "$tmp_deb"
  fi
fi

if [ ! -d "$tools_dir/node_modules/kubernetes-models" ] || [ "$tools_dir/package-lock.json" -nt "$tools_dir/node_modules/.package-lock.json" ]; then
  echo "installing npm validators into deploy/tools/node_modules"
  (cd "$tools_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
fi
echo "yamllint $(yamllint --version | cut -d' ' -f2), $("$promtool_bin" --version 2>&1 | head -1 | cut -d' ' -f1-3)," \
     "node $(node --version), compose: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo '?'))"

# ---------------------------------------------------------------- YAML and JSON
step "YAML lint"
run "yamllint deploy/" yamllint -s -c deploy/.yamllint.yaml deploy

step "JSON"
while IFS= read -r -d '' json; do
  run "parses: $json" jq empty "$json"
done < <(find deploy -name node_modules -prune -o -name '*.json' -type f -not -path '*/tools/*' -print0)

dashboard=deploy/monitoring/grafana/dashboards/treatment-ledger.json
run "dashboard: unique panel ids" test "$(jq '[.panels[].id] | length' "$dashboard")" = "$(jq '[.panels[].id] | unique | length' "$dashboard")"
run "dashboard: every panel has a query" test "$(jq '[.panels[] | select(.type != "row") | select((.targets // []) | length == 0)] | length' "$dashboard")" = 0
run "dashboard: every panel uses the datasource variable" test "$(jq '[.panels[] | select(.type != "row") | select(.datasource.uid != "${datasource}")] | length' "$dashboard")" = 0
run "Grafana provisioning points at the dashboards' mount" grep -q 'path: /var/lib/grafana/dashboards' deploy/monitoring/grafana/provisioning/dashboards/ledger.yml

# ---------------------------------------------------------------- Prometheus
step "Prometheus"
prom=deploy/monitoring/prometheus
run "promtool check config prometheus.yml" "$promtool_bin" check config "$prom/prometheus.yml"
run "promtool check config prometheus-axonserver.yml" "$promtool_bin" check config "$prom/prometheus-axonserver.yml"
run "promtool check rules alerts.yml" "$promtool_bin" check rules "$prom/alerts.yml"
run "promtool test rules alerts.test.yml" "$promtool_bin" test rules "$prom/alerts.test.yml"

# Every dashboard query must be valid PromQL: wrap them as recording rules and let promtool parse them.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$dashboard" \
  | sed -e 's/\$__rate_interval/5m/g' -e 's/\$__range/1h/g' -e 's/\$instance/.*/g' \
  | python3 -c '
import json, sys
rules = [{"record": "dashboard:query_%d" % i, "expr": line.rstrip("\n")} for i, line in enumerate(sys.stdin) if line.strip()]
print(json.dumps({"groups": [{"name": "dashboard-queries", "rules": rules}]}))' > "$work/dashboard-rules.json"
run "dashboard queries are valid PromQL ($(jq '.groups[0].rules | length' "$work/dashboard-rules.json") queries)" \
  "$promtool_bin" check rules "$work/dashboard-rules.json"

# Ledger metric names used by alerts and dashboard must be the documented ones (docs/OPERATIONS.md).
documented_metrics() { grep -oE '`ledger_[a-z_]+`' docs/OPERATIONS.md | tr -d '`' | sort -u; }
used_metrics() { cat "$prom/alerts.yml" "$dashboard" | grep -oE 'ledger_[a-z_]+' | grep -vE '^ledger_(security|policy)' | sort -u; }
undocumented="$(comm -23 <(used_metrics) <(documented_metrics))"
run "ledger metrics used in alerts/dashboard are documented in docs/OPERATIONS.md${undocumented:+ (missing: $undocumented)}" test -z "$undocumented"

# ---------------------------------------------------------------- compose
step "Compose"
printf 'validate-only\n' > "$work/secret"
export POSTGRES_PASSWORD=validate-only GRAFANA_ADMIN_PASSWORD=validate-only LEDGER_JWT_ISSUER_URI=https://id.example.invalid/realms/ledger \
  LEDGER_SIGNING_KEY_FILE="$work/secret" LEDGER_METRICS_PASSWORD_FILE="$work/secret" LEDGER_ERASURE_KEK_FILE="$work/secret" \
  LEDGER_TLS_CERT_FILE="$work/secret" LEDGER_TLS_KEY_FILE="$work/secret"
pushd deploy/compose >/dev/null
run "compose.yaml" "${compose[@]}" -f compose.yaml config -q
run "compose.yaml + compose.axonserver.yaml" "${compose[@]}" -f compose.yaml -f compose.axonserver.yaml config -q
run "compose.yaml + compose.tls.yaml" "${compose[@]}" -f compose.yaml -f compose.tls.yaml config -q
"${compose[@]}" -f compose.yaml config > "$work/compose.yaml" || true
"${compose[@]}" -f compose.yaml -f compose.axonserver.yaml config > "$work/compose-axonserver.yaml" || true
"${compose[@]}" -f compose.yaml -f compose.tls.yaml config > "$work/compose-tls.yaml" || true
popd >/dev/null
run "compose: two ledger replicas" test "$(grep -cE '^  ledger-[0-9]+:$' "$work/compose.yaml")" -ge 2
run "compose: axonserver variant sets the profile and servers" \
  bash -c "grep -q 'SPRING_PROFILES_ACTIVE: axonserver' '$work/compose-axonserver.yaml' && grep -q 'AXON_AXONSERVER_SERVERS: axonserver:8124' '$work/compose-axonserver.yaml'"
run "compose: management port apart, scraped with credentials" bash -c "grep -qE 'MANAGEMENT_SERVER_PORT: .?8081' '$work/compose.yaml' \
  && grep -q 'password_file: /run/secrets/ledger-metrics-password' deploy/monitoring/prometheus/prometheus.yml \
  && ! grep -q 'ledger-[12]:8080' deploy/monitoring/prometheus/prometheus.yml deploy/monitoring/prometheus/prometheus-axonserver.yml"
run "compose: no demo users, an identity provider and a signing key file" bash -c "! grep -q DEMOPASSWORD '$work/compose.yaml' \
  && grep -q 'SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI: https://' '$work/compose.yaml' \
  && grep -q 'LEDGER_INTEGRITY_SIGNINGKEY: /run/secrets/' '$work/compose.yaml' \
  && grep -q 'LEDGER_ERASURE_KEK: /run/secrets/' '$work/compose.yaml'"
run "compose: the TLS variant proxies both replicas and they trust its forwarded headers" bash -c "grep -q 'SERVER_FORWARDHEADERSSTRATEGY: native' '$work/compose-tls.yaml' \
  && grep -q 'server ledger-1:8080' deploy/compose/tls/nginx.conf && grep -q 'server ledger-2:8080' deploy/compose/tls/nginx.conf \
  && grep -q 'ssl_protocols TLSv1.2 TLSv1.3;' deploy/compose/tls/nginx.conf"
run "compose: mounted files exist" bash -c '
  cd deploy/compose && for f in $(grep -oE "\.\./monitoring/[^:]+|\./tls/[^:]+" compose.yaml compose.axonserver.yaml compose.tls.yaml | cut -d: -f2 | sort -u); do
    [ -e "$f" ] || { echo "missing: $f"; exit 1; }; done'
unset POSTGRES_PASSWORD
run "compose: refuses to start without a database password" bash -c "! (cd deploy/compose && ${compose[*]} -f compose.yaml config -q 2>/dev/null)"

# ---------------------------------------------------------------- container image
step "Container image"
dockerfile=deploy/Dockerfile
run "Dockerfile: eclipse-temurin 17 JRE base" grep -qE '^FROM eclipse-temurin:17-jre' "$dockerfile"
run "Dockerfile: runs as a numeric non-root user" grep -qE '^USER [1-9][0-9]*:[1-9][0-9]*$' "$dockerfile"
run "Dockerfile: HEALTHCHECK present" grep -q '^HEALTHCHECK' "$dockerfile"
run "Dockerfile: container-sized JVM" grep -q 'MaxRAMPercentage=75.*ExitOnOutOfMemoryError' "$dockerfile"
run "Dockerfile: embedded PostgreSQL off" grep -q 'LEDGER_EMBEDDEDPOSTGRES_ENABLED=false' "$dockerfile"
run "Dockerfile: management endpoints on their own port" grep -q 'MANAGEMENT_SERVER_PORT=8081' "$dockerfile"
run "Dockerfile: copies the jar named in TEAM.md" grep -q 'ledger-api/target/ledger-api.jar' "$dockerfile"
run "shellcheck" shellcheck deploy/validate.sh deploy/healthcheck.sh

# The health check against a stand-in server: healthy on 200, unhealthy on 404 and on a closed port.
python3 - "$work" <<'PY' &
import http.server, sys, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/actuator/health/liveness" else 404)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(os.path.join(sys.argv[1], "port.tmp"), "w") as f:
    f.write(str(s.server_port))
os.rename(os.path.join(sys.argv[1], "port.tmp"), os.path.join(sys.argv[1], "port"))
s.serve_forever()
PY
stub_pid=$!
for _ in $(seq 50); do [ -f "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"
run "healthcheck.sh: healthy when liveness answers 200" env SERVER_PORT="$port" deploy/healthcheck.sh
run "healthcheck.sh: asks the management port when one is set" env SERVER_PORT=1 MANAGEMENT_SERVER_PORT="$port" deploy/healthcheck.sh
run "healthcheck.sh: unhealthy on 404" bash -c "! SERVER_PORT=$port LEDGER_HEALTHCHECK_PATH=/missing deploy/healthcheck.sh"
kill "$stub_pid"; wait "$stub_pid" 2>/dev/null || true
run "healthcheck.sh: unhealthy when nothing listens" bash -c "! SERVER_PORT=$port deploy/healthcheck.sh 2>/dev/null"

# ---------------------------------------------------------------- Kubernetes
step "Kubernetes"
run "manifests: schema, unknown fields, references" node "$tools_dir/validate-k8s.mjs" deploy/k8s
run "validator rejects broken manifests (node --test)" node --test "$tools_dir/validate-k8s.test.mjs"
if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
  for overlay in deploy/k8s/base deploy/k8s/axonserver; do
    name="$(basename "$overlay")"
    if kubectl kustomize "$overlay" > "$work/rendered-$name.yaml"; then
      run "kubectl kustomize $overlay renders and validates" \
        node "$tools_dir/validate-k8s.mjs" --rendered "$work/rendered-$name.yaml" deploy/k8s/base/secrets.example.yaml
    else
      fail "kubectl kustomize $overlay"
    fi
  done
else
  echo "kubectl not installed: rendering with kustomize skipped (the kustomizations were resolved by validate-k8s.mjs)"
fi

# ---------------------------------------------------------------- verdict
elapsed=$(( $(date +%s) - start ))
if [ "$failures" -gt 0 ]; then
  printf '\ndeploy/validate.sh: %d check(s) FAILED (%ss)\n' "$failures" "$elapsed" >&2
  exit 1
fi
printf '\ndeploy/validate.sh: all checks passed (%ss)\n' "$elapsed"
