#!/usr/bin/env bash
# gptpolicy end to end on a kind cluster: jsPolicy from its Helm chart, our manifests, a fake model on
# this machine, the prototype's incident intent as a GPTPolicy, its policy checked, approved, enforced.
# CI's e2e job runs `scripts/e2e-kind.sh all`; the README's local scenario runs the same steps.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/e2e-kind.sh [STEP...]        (no STEP = all)

Steps, in the order `all` runs them:
  check-tools      kind, kubectl, helm, docker and node are on PATH
  build            node build.mjs, unless manifests/ and dist/cli.mjs exist (FORCE_BUILD=1 rebuilds)
  create-cluster   kind create cluster --name $CLUSTER_NAME (reused when it exists)
  start-model      the fake model (gptpolicy fake-model) on 127.0.0.1:$FAKE_MODEL_PORT, and a TCP relay
                   from $BIND_ADDRESS:$MODEL_PORT to it, which pods reach as http://$MODEL_HOST:$MODEL_PORT
  install-jspolicy helm upgrade --install jspolicy (charts.loft.sh) with SSL_CERT_DIR and OPENAI_BASE_URL
  create-secret    the API key Secret gptpolicy-openai in namespace jspolicy
  install-gptpolicy  CRDs, wait until Established, the controller (--server-side), wait ControllerReady,
                   then the starter skills (gptpolicy-skills.yaml) when the build has them
  apply-intent     the incident GPTPolicy deny-prod: "Deny pods with the label 'env=prod' in the 'test' namespace."
  check-policy     Ready=True, the emitted JsPolicy is owned, narrow (pods, core group, namespace test,
                   kube-system kept out, fail open) and runs Dry: a prod pod in test is still admitted
  approve          a PolicyApproval for status.rollout.specHash at stage Deny; wait for violationPolicy Deny
  check-pods       (server-side dry-run) prod pod in test denied, dev pod in test allowed, prod pod in
                   kube-system allowed
  logs             what to look at when a step failed (GPTPolicy, JsPolicies, jsPolicy's log)
  stop-model       stop the fake model and the relay
  delete-cluster   kind delete cluster (skipped by `all` when KEEP_CLUSTER=1)
  all              every step above but logs; on failure, logs; always stop-model

Settings (environment):
  CLUSTER_NAME      kind cluster name                              [gptpolicy-e2e]
  MODEL_PORT        port pods use for the model                    [8089]
  FAKE_MODEL_PORT   port of the fake model on 127.0.0.1            [18089]
  FAKE_MODEL_SCRIPT scripted answers                               [test/fixtures/deny-prod.script.json]
  MODEL_HOST        address pods use to reach this machine         [the kind network's IPv4 gateway]
  BIND_ADDRESS      address the relay listens on                   [MODEL_HOST]
                    Docker Desktop (macOS/Windows): MODEL_HOST=host.docker.internal BIND_ADDRESS=0.0.0.0
  MANIFESTS         directory or release URL with gptpolicy-crds.yaml, gptpolicy-controller.yaml
                    (and gptpolicy-skills.yaml)                    [manifests]
  JSPOLICY_VERSION  Helm chart version (empty = latest stable)      []
  KEEP_CLUSTER      1 = `all` leaves the cluster running            [0]
  STATE_DIR         PIDs and logs of the background processes     [$TMPDIR/gptpolicy-e2e-$CLUSTER_NAME]

Why a relay: the fake model binds 127.0.0.1 only, which no pod can reach, and kubectl cannot
port-forward in reverse. Pods of a kind cluster do reach the host at the gateway of the docker
network "kind" (their traffic leaves the node container through it), so a small TCP relay (node's
net module: what `socat TCP-LISTEN:8089,bind=GATEWAY,fork TCP:127.0.0.1:18089` would do, without
installing socat) listens on that gateway address and forwards to the fake model. Nothing listens
on a public interface.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLUSTER_NAME="${CLUSTER_NAME:-gptpolicy-e2e}"
MODEL_PORT="${MODEL_PORT:-8089}"
FAKE_MODEL_PORT="${FAKE_MODEL_PORT:-18089}"
FAKE_MODEL_SCRIPT="${FAKE_MODEL_SCRIPT:-test/fixtures/deny-prod.script.json}"
MANIFESTS="${MANIFESTS:-manifests}"
JSPOLICY_VERSION="${JSPOLICY_VERSION:-}"
KEEP_CLUSTER="${KEEP_CLUSTER:-0}"
STATE_DIR="${STATE_DIR:-${TMPDIR:-/tmp}/gptpolicy-e2e-$CLUSTER_NAME}"
CLI=(node "$ROOT/dist/cli.mjs")

GP_NAME=deny-prod
INTENT="Deny pods with the label 'env=prod' in the 'test' namespace."
CONTROLLER=gptpolicy-controller.gptpolicy.dev
KCTX="kind-${CLUSTER_NAME}"

log() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "$KCTX" "$@"; }

# Polls a command until it succeeds: retry SECONDS DESCRIPTION COMMAND...
retry() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then fail "timed out after ${seconds}s waiting for: $what"; fi
    sleep 2
  done
}

check_tools() {
  log "check-tools"
  local missing=()
  for tool in kind kubectl helm docker node; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]} == 0)) || fail "missing tools: ${missing[*]}"
}

build() {
  log "build"
  if [[ "${FORCE_BUILD:-0}" == 1 || ! -f dist/cli.mjs || ! -f manifests/gptpolicy-controller.yaml ]]; then
    node build.mjs
  else
    echo "dist/cli.mjs and manifests/ exist (FORCE_BUILD=1 rebuilds)"
  fi
}

create_cluster() {
  log "create-cluster $CLUSTER_NAME"
  if kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
    echo "cluster $CLUSTER_NAME exists: reusing it"
  else
    kind create cluster --name "$CLUSTER_NAME" --wait 180s
  fi
  k get nodes
}

# The IPv4 gateway of the docker network kind puts its nodes on: the host, as pods see it.
kind_gateway() {
  docker network inspect kind --format '{{range .IPAM.Config}}{{.Gateway}} {{end}}' | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | head -n1
}

model_host() {
  if [[ -n "${MODEL_HOST:-}" ]]; then echo "$MODEL_HOST"; return; fi
  local gw
  gw="$(kind_gateway)" || true
  [[ -n "$gw" ]] || fail "cannot find the IPv4 gateway of docker network kind; set MODEL_HOST (and BIND_ADDRESS)"
  echo "$gw"
}

start_model() {
  log "start-model"
  mkdir -p "$STATE_DIR"
  stop_model quiet
  local host bind
  host="$(model_host)"
  bind="${BIND_ADDRESS:-$host}"
  "${CLI[@]}" fake-model --script "$FAKE_MODEL_SCRIPT" --port "$FAKE_MODEL_PORT" >"$STATE_DIR/fake-model.log" 2>&1 &
  echo $! >"$STATE_DIR/fake-model.pid"
  retry 30 "fake model on 127.0.0.1:$FAKE_MODEL_PORT" grep -q 'listening' "$STATE_DIR/fake-model.log"
  # The relay: every connection to bind:MODEL_PORT is piped to the fake model on the loopback.
  node -e '
    const net = require("node:net");
    const [bind, port, target] = process.argv.slice(1);
    net.createServer((c) => {
      const u = net.connect(Number(target), "127.0.0.1");
      c.pipe(u).pipe(c);
      c.on("error", () => u.destroy());
      u.on("error", () => c.destroy());
    }).listen(Number(port), bind, () => console.log(`relay ${bind}:${port} -> 127.0.0.1:${target}`));
  ' "$bind" "$MODEL_PORT" "$FAKE_MODEL_PORT" >"$STATE_DIR/relay.log" 2>&1 &
  echo $! >"$STATE_DIR/relay.pid"
  retry 15 "relay on $bind:$MODEL_PORT" grep -q '^relay' "$STATE_DIR/relay.log"
  echo "$host" >"$STATE_DIR/model-host"
  echo "pods reach the fake model at http://$host:$MODEL_PORT/v1"
}

stop_model() {
  [[ "${1:-}" == quiet ]] || log "stop-model"
  for name in relay fake-model; do
    local file="$STATE_DIR/$name.pid"
    if [[ -f "$file" ]]; then
      kill "$(cat "$file")" 2>/dev/null || true
      rm -f "$file"
    fi
  done
}

install_jspolicy() {
  log "install-jspolicy"
  local host
  host="$(cat "$STATE_DIR/model-host" 2>/dev/null || model_host)"
  local version_args=()
  [[ -z "$JSPOLICY_VERSION" ]] || version_args=(--version "$JSPOLICY_VERSION")
  helm --kube-context "$KCTX" upgrade --install jspolicy jspolicy --repo https://charts.loft.sh \
    -n jspolicy --create-namespace ${version_args[@]+"${version_args[@]}"} \
    --set env.SSL_CERT_DIR=/etc/ssl/certs:/var/run/secrets/kubernetes.io/serviceaccount \
    --set "env.OPENAI_BASE_URL=http://$host:$MODEL_PORT/v1" \
    --set env.OPENAI_MODEL=fake \
    --wait --timeout 5m
  k -n jspolicy rollout status deploy/jspolicy --timeout 180s
}

create_secret() {
  log "create-secret"
  k -n jspolicy create secret generic gptpolicy-openai --from-literal=OPENAI_API_KEY=fake-e2e-key \
    --dry-run=client -o yaml | k apply -f -
}

install_gptpolicy() {
  log "install-gptpolicy from $MANIFESTS"
  k apply -f "$MANIFESTS/gptpolicy-crds.yaml"
  k wait --for condition=established --timeout 60s -f "$MANIFESTS/gptpolicy-crds.yaml"
  k apply --server-side -f "$MANIFESTS/gptpolicy-controller.yaml"
  k wait --for condition=ControllerReady --timeout 180s "jspolicy/$CONTROLLER"
  # The starter skill library, when this build has one (a directory here; a release URL always has it).
  if [[ "$MANIFESTS" == http* || -f "$MANIFESTS/gptpolicy-skills.yaml" ]]; then
    k apply --server-side -f "$MANIFESTS/gptpolicy-skills.yaml"
  fi
}

apply_intent() {
  log "apply-intent $GP_NAME"
  k create namespace test --dry-run=client -o yaml | k apply -f -
  k apply -f - <<EOF
apiVersion: gptpolicy.dev/v1alpha1
kind: GPTPolicy
metadata:
  name: $GP_NAME
spec:
  description: "$INTENT"
EOF
}

policy_name() { k get gptpolicy "$GP_NAME" -o jsonpath='{.status.policyName}'; }

check_policy() {
  log "check-policy"
  k wait --for condition=Ready --timeout 180s "gptpolicy/$GP_NAME" || { k get gptpolicy "$GP_NAME" -o yaml; fail "GPTPolicy $GP_NAME is not Ready"; }
  local name spec
  name="$(policy_name)"
  [[ "$name" == "$GP_NAME.gptpolicy.dev" ]] || fail "status.policyName is '$name'"
  spec="$(k get jspolicy "$name" -o json)"
  echo "$spec" | node -e '
    const p = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const s = p.spec, problems = [];
    const eq = (what, got, want) => { if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); };
    eq("owner", (p.metadata.ownerReferences || []).map((o) => o.kind + "/" + o.name), ["GPTPolicy/'"$GP_NAME"'"]);
    eq("type", s.type, "Validating");
    eq("resources", s.resources, ["pods"]);
    eq("apiGroups", s.apiGroups, [""]);
    eq("failurePolicy", s.failurePolicy, "Ignore");
    eq("violationPolicy (before approval)", s.violationPolicy, "Dry");
    const sel = JSON.stringify(s.namespaceSelector || {});
    if (!sel.includes("\"In\"") || !sel.includes("\"test\"")) problems.push(`namespaceSelector does not select test: ${sel}`);
    if (!sel.includes("\"NotIn\"") || !sel.includes("kube-system")) problems.push(`namespaceSelector does not keep kube-system out: ${sel}`);
    if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
    console.log(`JsPolicy ${p.metadata.name}: ${s.type} ${s.operations} ${s.resources} in ${sel}, ${s.violationPolicy}`);
  ' || fail "the emitted policy is not what the incident intent asks for"
  # Dry: nothing is blocked before a person approves.
  retry 60 "WebhookReady on $name" k wait --for condition=WebhookReady --timeout 5s "jspolicy/$name"
  pod_request test prod >/dev/null || fail "a prod pod in test was denied before approval (the policy should run Dry)"
  echo "before approval: a prod pod in test is admitted (Dry)"
}

approve() {
  log "approve"
  local hash
  hash="$(k get gptpolicy "$GP_NAME" -o jsonpath='{.status.rollout.specHash}')"
  [[ -n "$hash" ]] || fail "status.rollout.specHash is empty"
  k apply -f - <<EOF
apiVersion: gptpolicy.dev/v1alpha1
kind: PolicyApproval
metadata:
  name: $GP_NAME.deny
spec:
  gptPolicy: $GP_NAME
  stage: Deny
  specHash: $hash
EOF
  local name
  name="$(policy_name)"
  retry 120 "violationPolicy Deny on $name" violation_policy_is Deny "$name"
  k get policyapproval "$GP_NAME.deny" -o jsonpath='{.spec.approvedBy}{" "}{.status.phase}{"\n"}'
}

# Asks the API server to admit a pod (server-side dry run: admission webhooks run, nothing is stored).
pod_request() {
  local namespace=$1 env=$2
  k create --dry-run=server -o name -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: e2e-$env
  namespace: $namespace
  labels:
    env: $env
spec:
  containers:
    - name: c
      image: registry.k8s.io/pause:3.9
EOF
}

pod_denied() { ! pod_request "$1" "$2" >/dev/null 2>&1; }

violation_policy_is() { [[ "$(k get jspolicy "$2" -o jsonpath='{.spec.violationPolicy}')" == "$1" ]]; }

check_pods() {
  log "check-pods"
  local out
  # The webhook configuration is picked up by the API server asynchronously: wait for the first denial.
  retry 90 "a prod pod in test to be denied" pod_denied test prod
  if out="$(pod_request test prod 2>&1)"; then fail "a prod pod in test was admitted: $out"; fi
  grep -q 'denied' <<<"$out" || fail "a prod pod in test failed, but not by a denial: $out"
  echo "prod pod in test: denied ($out)"
  pod_request test dev >/dev/null || fail "a dev pod in test was denied"
  echo "dev pod in test: admitted"
  pod_request kube-system prod >/dev/null || fail "a prod pod in kube-system was denied"
  echo "prod pod in kube-system: admitted (protected namespaces are out of reach)"
}

logs() {
  log "logs"
  k get gptpolicy -o wide || true
  k get gptpolicy "$GP_NAME" -o yaml || true
  k get jspolicy || true
  k get jspolicy "$CONTROLLER" -o jsonpath='{.status}{"\n"}' || true
  k get policyapproval -o yaml || true
  k -n jspolicy logs deploy/jspolicy --tail 200 || true
  for f in "$STATE_DIR"/*.log; do [[ -f "$f" ]] && { echo "--- $f"; tail -n 50 "$f"; }; done
}

delete_cluster() {
  log "delete-cluster $CLUSTER_NAME"
  kind delete cluster --name "$CLUSTER_NAME"
}

all() {
  trap 'status=$?; if ((status != 0)); then logs; fi; stop_model quiet; exit $status' EXIT
  check_tools
  build
  create_cluster
  start_model
  install_jspolicy
  create_secret
  install_gptpolicy
  apply_intent
  check_policy
  approve
  check_pods
  log "PASS: the incident intent is enforced in test, and nowhere else"
  if [[ "$KEEP_CLUSTER" != 1 ]]; then delete_cluster; fi
}

run_step() {
  case "$1" in
    -h | --help | help) usage ;;
    check-tools) check_tools ;;
    build) build ;;
    create-cluster) create_cluster ;;
    start-model) start_model ;;
    install-jspolicy) install_jspolicy ;;
    create-secret) create_secret ;;
    install-gptpolicy) install_gptpolicy ;;
    apply-intent) apply_intent ;;
    check-policy) check_policy ;;
    approve) approve ;;
    check-pods) check_pods ;;
    logs) logs ;;
    stop-model) stop_model ;;
    delete-cluster) delete_cluster ;;
    all) all ;;
    *) echo "unknown step: $1" >&2; usage >&2; exit 2 ;;
  esac
}

if (($# == 0)); then set -- all; fi
for step in "$@"; do run_step "$step"; done
