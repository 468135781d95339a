#!/usr/bin/env bash
# gptpolicy end to end on a kind cluster: jsPolicy from its Helm chart, our manifests, a fake model on
# this machine, the prototype's incident intent as a GPTPolicy, its policy checked, approved, enforced.
# CI's e2e job runs `scripts/e2e-kind.sh all`; the README's "Try it on a kind cluster" runs the same.
# Every claim it prints is polled for with a bounded wait; on failure it writes diagnostics to
# $ARTIFACTS_DIR (CI uploads them).
set -euo pipefail

# The pins. .github/workflows/e2e.yml installs exactly these (test/bench-tasks/workflows.test.ts
# keeps its defaults equal to these); each can be overridden by its environment variable.
#  - jsPolicy: its chart's latest stable release; the chart runs image loftsh/jspolicy:<chart version>.
#  - Helm: major version 3, the one the README's user has (Helm 4 changed --wait and install).
#  - kind v0.31.0 and, from its release notes' "Images pre-built for this release", the node image
#    for Kubernetes 1.32.11 by digest: the oldest Kubernetes still supported upstream, the nearest
#    one to the client-go 0.23 jsPolicy 0.2.2 was built with. The digest was read from copies of
#    those notes and agrees with several independent projects' pins of kind v0.31.0's 1.32.11
#    image (the notes' 1.35.0 digest matches kind's source at v0.31.0); it was not pulled to check.
#    A wrong digest stops `kind create cluster` at the pull: it can never run another image.
DEFAULT_JSPOLICY_VERSION=0.2.2
DEFAULT_HELM_VERSION=v3
DEFAULT_KIND_VERSION=v0.31.0
DEFAULT_KIND_NODE_IMAGE=kindest/node:v1.32.11@sha256:5fc52d52a7b9574015299724bd68f183702956aa4a2116ae75a63cb574b35af8

STEPS_OF_ALL=(print-config check-tools build check-arch create-cluster load-image start-model install-jspolicy
  probe-model create-secret install-gptpolicy apply-intent check-policy approve check-pods check-model-calls)

usage() {
  cat <<'EOF'
usage: scripts/e2e-kind.sh [STEP...]        (no STEP = all; -h, --help: this text)

Prerequisites: docker on an x86_64 (amd64) host, kind, kubectl, helm 3, node >= 20.11, and
`npm ci` run in this checkout (the script says when it is missing or stale; it always builds).

Steps, in the order `all` runs them:
  print-config     the settings and pins in force
  check-tools      kind, kubectl, helm, docker and npm are on PATH, docker answers, and kind and
                   helm are the pinned versions ($KIND_VERSION, $HELM_VERSION)
  build            `npm run build` (always: manifests/ and dist/ are never reused stale); says to
                   run `npm ci` first when node_modules does not match package-lock.json
  check-arch       pulls $JSPOLICY_IMAGE for this docker host's platform and fails with a clear
                   message when jsPolicy has no image for it (0.2.2 is linux/amd64 only)
  create-cluster   kind create cluster --name $CLUSTER_NAME --image $KIND_NODE_IMAGE; a cluster
                   left by an earlier run is deleted first (REUSE_CLUSTER=1: reused, after reset)
  load-image       docker save (this platform only) | kind load image-archive: the jsPolicy image
                   is on the node before Helm runs, so the chart never pulls it
  start-model      the fake model (gptpolicy fake-model, 127.0.0.1 only) behind a counting relay on
                   $BIND_ADDRESS:$MODEL_PORT, which pods reach as http://$MODEL_HOST:$MODEL_PORT/v1
                   (scripts/e2e-model.mjs; stops with this script, or after $MODEL_LIFETIME s)
  install-jspolicy helm upgrade --install jspolicy (chart $JSPOLICY_VERSION) with SSL_CERT_DIR and
                   OPENAI_BASE_URL; waits until its pod runs the loaded image, leads (its leader
                   record names the pod) and has registered its webhook jspolicy.jspolicy.com
  probe-model      from inside the jsPolicy pod, GET $OPENAI_BASE_URL/models reaches the fake model
  create-secret    the API key Secret gptpolicy-openai in namespace jspolicy
  install-gptpolicy  gptpolicy.yaml in one apply (--server-side); ControllerReady=True on the
                   bootstrap, then on the controllers it installs; then until the controller has
                   checked a starter skill
  apply-intent     the incident GPTPolicy deny-prod: "Deny pods with the label 'env=prod' in the 'test' namespace."
  check-policy     Ready=True; the emitted JsPolicy is owned, narrow (pods, core group, namespace
                   test, kube-system kept out, fail open) and Dry; its webhook configuration exists;
                   a prod pod in test is admitted AND jsPolicy logs its Dry denial in JsPolicyViolations
  approve          the stamp webhook answers (a server-side dry run); a PolicyApproval at stage Deny
                   that claims another approver gets spec.approvedBy = the creating user; then the
                   JsPolicy, the GPTPolicy's rollout (approved by that user) and the approval (Active)
                   all reach Deny
  check-pods       (server-side dry runs) prod pod in test denied by our webhook and logged as Deny,
                   dev pod in test allowed, prod pod in kube-system allowed
  check-model-calls  the GPTPolicy's status counts $EXPECT_MODEL_CALLS model call(s); the model is
                   stopped and its summary must agree: that many chat completions, each with the
                   Secret's key, and every request the fake model served came through the relay
  delete-cluster   kind delete cluster (after a passing `all`, unless KEEP_CLUSTER=1)
  all              every step above; a failing run keeps its cluster for inspection (the next run
                   deletes it) and writes diagnostics

Other steps:
  reset            deletes what a run leaves: PolicyApprovals and the GPTPolicy (their finalizers
                   are removed when the controller has not let go within 120 s), and the generated
                   JsPolicy with its JsPolicyViolations; fails if any is left
  logs             writes diagnostics to $ARTIFACTS_DIR (what a failing run does by itself): the
                   model's logs and summary; jsPolicy's pods described, their logs (and --previous),
                   events, its leader record and Helm release; our objects as YAML, described, and
                   their events; JsPolicies, JsPolicyViolations, webhook configurations; kind export logs
  stop-model       stops the fake model and the relay (they print their summary)

Settings (environment), defaults in brackets:
  JSPOLICY_VERSION  jsPolicy Helm chart version ("latest": the chart's latest)       [0.2.2]
  JSPOLICY_IMAGE    jsPolicy image (the chart's own choice for that version)  [loftsh/jspolicy:<version>]
  HELM_VERSION      helm must be this version, or this major (v3)                  [v3]
  KIND_VERSION      kind must be this version (empty: any)                         [v0.31.0]
  KIND_NODE_IMAGE   node image, by digest                  [kindest/node:v1.32.11@sha256:5fc52d52…]
  CLUSTER_NAME      kind cluster name                                              [gptpolicy-e2e]
  REUSE_CLUSTER     1 = reuse a running cluster after `reset` instead of recreating it       [0]
  KEEP_CLUSTER      1 = leave the cluster running after a passing `all`                      [0]
  MODEL_PORT        port pods use for the model (0: any free port)                 [8089]
  FAKE_MODEL_PORT   port of the fake model on 127.0.0.1 (0: any free port)         [18089]
  FAKE_MODEL_SCRIPT scripted answers                         [test/fixtures/deny-prod.script.json]
  EXPECT_MODEL_CALLS  model calls the scenario makes                               [1]
  MODEL_HOST        address pods use to reach this machine      [the kind network's IPv4 gateway]
  BIND_ADDRESS      address the relay listens on                                   [MODEL_HOST]
                    Docker Desktop (macOS/Windows): MODEL_HOST=host.docker.internal BIND_ADDRESS=0.0.0.0
  MODEL_LIFETIME    the model stops by itself after this many seconds              [3600]
  KEEP_MODEL        1 = the model outlives this script (step-by-step runs; still bounded by
                    MODEL_LIFETIME; stop it with the stop-model step)               [0]
  MANIFESTS         directory or release URL with gptpolicy.yaml                 [manifests]
  STATE_DIR         the model's PIDs, logs and summary        [$TMPDIR/gptpolicy-e2e-$CLUSTER_NAME]
  ARTIFACTS_DIR     where diagnostics go on failure                                [$STATE_DIR/artifacts]
  E2E_INJECT_FAILURE  STEP:CODE — exit with CODE right after STEP (tests the exit path: the code
                    is kept, the model stopped, diagnostics written)

Why a relay: the fake model binds 127.0.0.1 only, which no pod can reach, and kubectl cannot
port-forward in reverse. Pods of a kind cluster do reach the host at the gateway of the docker
network "kind" (their traffic leaves the node container through it), so a small HTTP relay listens
on that gateway address and forwards to the fake model; it also counts the calls and times out an
answer that does not come (fetchSync has no timeout of its own). Nothing listens on a public interface.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JSPOLICY_VERSION="${JSPOLICY_VERSION:-$DEFAULT_JSPOLICY_VERSION}"
JSPOLICY_IMAGE="${JSPOLICY_IMAGE:-}"
JSPOLICY_CHART_REPO="${JSPOLICY_CHART_REPO:-https://charts.loft.sh}"
HELM_VERSION="${HELM_VERSION:-$DEFAULT_HELM_VERSION}"
KIND_VERSION="${KIND_VERSION-$DEFAULT_KIND_VERSION}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-$DEFAULT_KIND_NODE_IMAGE}"
CLUSTER_NAME="${CLUSTER_NAME:-gptpolicy-e2e}"
REUSE_CLUSTER="${REUSE_CLUSTER:-0}"
KEEP_CLUSTER="${KEEP_CLUSTER:-0}"
MODEL_PORT="${MODEL_PORT:-8089}"
FAKE_MODEL_PORT="${FAKE_MODEL_PORT:-18089}"
FAKE_MODEL_SCRIPT="${FAKE_MODEL_SCRIPT:-test/fixtures/deny-prod.script.json}"
EXPECT_MODEL_CALLS="${EXPECT_MODEL_CALLS:-1}"
MODEL_LIFETIME="${MODEL_LIFETIME:-3600}"
KEEP_MODEL="${KEEP_MODEL:-0}"
MANIFESTS="${MANIFESTS:-manifests}"
STATE_DIR="${STATE_DIR:-${TMPDIR:-/tmp}/gptpolicy-e2e-$CLUSTER_NAME}"
ARTIFACTS_DIR="${ARTIFACTS_DIR:-$STATE_DIR/artifacts}"
E2E_INJECT_FAILURE="${E2E_INJECT_FAILURE:-}"
POLL_INTERVAL="${POLL_INTERVAL:-3}"

GP_NAME=deny-prod
POLICY_NAME="$GP_NAME.gptpolicy.dev"
APPROVAL_NAME="$GP_NAME.deny"
INTENT="Deny pods with the label 'env=prod' in the 'test' namespace."
# The generation controller and the bookkeeping controller: both must start.
CONTROLLERS=(gptpolicy-controller.gptpolicy.dev gptpolicy-bookkeeper.gptpolicy.dev)
# The bootstrap, which installs them (README, "Install into a cluster").
BOOTSTRAP=gptpolicy-bootstrap.gptpolicy.dev
API_KEY="fake-e2e-key"
FORGED_APPROVER=e2e-forged-approver
KCTX="kind-${CLUSTER_NAME}"
MODEL_STARTED_HERE=0

log() { printf '\n==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "$KCTX" "$@"; }
checks() { node "$ROOT/scripts/e2e-kind-checks.mjs" "$@"; }

# Polls until a check passes: poll SECONDS DESCRIPTION COMMAND... The command's output is kept: on
# success it is printed, on timeout it says what was last seen. Exit code 3 from the command means
# the claim can no longer hold: the wait ends at once.
poll() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds)) out rc
  while :; do
    rc=0
    out="$("$@" 2>&1)" || rc=$?
    if ((rc == 0)); then
      [[ -z "$out" ]] || printf '    %s\n' "$out" >&2
      return 0
    fi
    if ((rc == 3)); then fail "$what: ${out:-no output}"; fi
    if ((SECONDS >= deadline)); then fail "timed out after ${seconds}s waiting for $what; the last check said: ${out:-nothing}"; fi
    sleep "$POLL_INTERVAL"
  done
}

print_config() {
  log "print-config"
  cat <<EOF
JSPOLICY_VERSION=$JSPOLICY_VERSION
JSPOLICY_IMAGE=$(jspolicy_image_or_pending)
HELM_VERSION=$HELM_VERSION
KIND_VERSION=$KIND_VERSION
KIND_NODE_IMAGE=$KIND_NODE_IMAGE
CLUSTER_NAME=$CLUSTER_NAME
REUSE_CLUSTER=$REUSE_CLUSTER
KEEP_CLUSTER=$KEEP_CLUSTER
MODEL_PORT=$MODEL_PORT
FAKE_MODEL_PORT=$FAKE_MODEL_PORT
FAKE_MODEL_SCRIPT=$FAKE_MODEL_SCRIPT
EXPECT_MODEL_CALLS=$EXPECT_MODEL_CALLS
MODEL_LIFETIME=$MODEL_LIFETIME
KEEP_MODEL=$KEEP_MODEL
MANIFESTS=$MANIFESTS
STATE_DIR=$STATE_DIR
ARTIFACTS_DIR=$ARTIFACTS_DIR
EOF
}

# The image the chart runs for JSPOLICY_VERSION (it uses "loftsh/jspolicy:<chart version>").
jspolicy_image_or_pending() {
  if [[ -n "$JSPOLICY_IMAGE" ]]; then echo "$JSPOLICY_IMAGE"
  elif [[ "$JSPOLICY_VERSION" == latest ]]; then echo "loftsh/jspolicy:<the latest chart version, resolved by check-arch>"
  else echo "loftsh/jspolicy:$JSPOLICY_VERSION"; fi
}

resolve_jspolicy() {
  if [[ "$JSPOLICY_VERSION" == latest ]]; then
    JSPOLICY_VERSION="$(helm show chart jspolicy --repo "$JSPOLICY_CHART_REPO" | sed -n 's/^version: *//p' | head -n1)"
    [[ -n "$JSPOLICY_VERSION" ]] || fail "cannot read the latest jspolicy chart version from $JSPOLICY_CHART_REPO"
    note "latest jspolicy chart: $JSPOLICY_VERSION"
  fi
  [[ -n "$JSPOLICY_IMAGE" ]] || JSPOLICY_IMAGE="loftsh/jspolicy:$JSPOLICY_VERSION"
}

# "kind v0.31.0 go1.25.5 linux/amd64" -> v0.31.0; "v3.20.2+g1a2b3c" -> v3.20.2
version_matches() { # version_matches INSTALLED WANTED: equal, or WANTED is a prefix ending at a dot
  [[ "$1" == "$2" || "$1" == "$2".* ]]
}

check_tools() {
  log "check-tools"
  local missing=() tool
  for tool in kind kubectl helm docker node npm; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]} == 0)) || fail "missing tools: ${missing[*]} (README, \"Try it on a kind cluster\", lists what to install)"
  local kind_version helm_version
  kind_version="$(kind version 2>/dev/null | awk '{print $2}')"
  helm_version="$(helm version --short 2>/dev/null | sed 's/+.*//')"
  note "kind $kind_version, helm $helm_version, node $(node --version), $(kubectl version --client 2>/dev/null | head -n1)"
  if [[ -n "$KIND_VERSION" ]] && ! version_matches "$kind_version" "$KIND_VERSION"; then
    fail "kind is ${kind_version:-unknown}, the pinned version is $KIND_VERSION (its node image $KIND_NODE_IMAGE is built for it): install kind $KIND_VERSION, or set KIND_VERSION= and a KIND_NODE_IMAGE from your kind's release notes"
  fi
  if ! version_matches "$helm_version" "$HELM_VERSION"; then
    fail "helm is ${helm_version:-unknown}, the pinned version is $HELM_VERSION (Helm 4 changed --wait and install; the README's user has Helm 3): install it, or set HELM_VERSION"
  fi
  docker info >/dev/null 2>&1 || fail "docker does not answer (docker info failed): start the docker daemon"
}

build() {
  log "build"
  if ! npm ls --depth=0 >/dev/null 2>&1; then
    fail "node_modules is missing or does not match package-lock.json: run 'npm ci' first"
  fi
  npm run build
}

# docker info's architecture as an OCI platform architecture.
docker_arch() {
  local arch
  arch="$(docker info --format '{{.Architecture}}' 2>/dev/null)" || true
  case "$arch" in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    "") fail "docker does not answer (docker info failed): start the docker daemon" ;;
    *) echo "$arch" ;;
  esac
}

arch_message() {
  printf '%s' "jsPolicy's image $JSPOLICY_IMAGE has no linux/$1 variant (loft publishes 0.2.x for linux/amd64 only), and this docker host is $1: kind's node would run it under emulation or not at all, and Helm would wait 5 minutes for 'context deadline exceeded'. Run the end-to-end test on an x86_64 machine, or set JSPOLICY_IMAGE to a linux/$1 build of jsPolicy (its repository has a Dockerfile.arm64)."
}

check_arch() {
  log "check-arch"
  resolve_jspolicy
  local arch out got
  arch="$(docker_arch)"
  note "docker host: linux/$arch"
  if ! out="$(docker pull --platform "linux/$arch" "$JSPOLICY_IMAGE" 2>&1)"; then
    if grep -qiE 'no matching manifest|does not match|not match the specified platform' <<<"$out"; then fail "$(arch_message "$arch")"; fi
    fail "cannot pull $JSPOLICY_IMAGE: $out"
  fi
  got="$(docker image inspect --format '{{.Os}}/{{.Architecture}}' "$JSPOLICY_IMAGE" 2>&1)" || fail "cannot inspect $JSPOLICY_IMAGE: $got"
  [[ "$got" == "linux/$arch" ]] || fail "$(arch_message "$arch") (docker image inspect says $got)"
  note "$JSPOLICY_IMAGE: $got"
  echo "$arch" >"$STATE_DIR/arch"
}

cluster_exists() { kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; }

create_cluster() {
  log "create-cluster $CLUSTER_NAME ($KIND_NODE_IMAGE)"
  if cluster_exists; then
    if [[ "$REUSE_CLUSTER" == 1 ]]; then
      note "cluster $CLUSTER_NAME exists: reusing it (REUSE_CLUSTER=1), after deleting what an earlier run left"
      k get nodes
      reset
      return
    fi
    note "cluster $CLUSTER_NAME exists (left by an earlier run): deleting it, so this run starts clean (REUSE_CLUSTER=1 reuses it instead)"
    kind delete cluster --name "$CLUSTER_NAME"
  fi
  kind create cluster --name "$CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --wait 180s
  k get nodes -o wide
}

# What an earlier run leaves in a reused cluster, deleted so that this run starts clean.
reset() {
  log "reset"
  delete_or_unblock policyapprovals --all
  delete_or_unblock gptpolicy "$GP_NAME"
  k delete jspolicy "$POLICY_NAME" --ignore-not-found --wait=true --timeout=60s
  local left
  left="$(k get gptpolicies,policyapprovals --no-headers 2>/dev/null || true)"
  [[ -z "$left" ]] || fail "reset left objects behind: $left"
}

# Deletes, waiting up to 120 s for the controller's finalizers (a GPTPolicy's narrows its policy
# first); when the controller does not get to them (it may be what failed), removes them.
delete_or_unblock() { # delete_or_unblock RESOURCE NAME|--all
  k delete "$1" "$2" --ignore-not-found --wait=true --timeout=120s && return 0
  note "$1 $2: not gone within 120 s (is the controller running?): removing the finalizers"
  local object names=()
  [[ "$2" == --all ]] || names=("$2")
  for object in $(k get "$1" ${names[@]+"${names[@]}"} -o name 2>/dev/null); do
    k patch "$object" --type=merge -p '{"metadata":{"finalizers":null}}' || true
  done
  k delete "$1" "$2" --ignore-not-found --wait=true --timeout=30s
}

load_image() {
  resolve_jspolicy
  log "load-image $JSPOLICY_IMAGE"
  local arch archive="$STATE_DIR/jspolicy-image.tar"
  arch="$(cat "$STATE_DIR/arch" 2>/dev/null || docker_arch)"
  # One platform only: under Docker's containerd image store a plain `docker save` (what `kind load
  # docker-image` runs) writes the whole multi-platform index, which the node's import then fails
  # on (kind issue #3795). Docker before 28 has no --platform, and its classic store saves one
  # platform anyway.
  if ! { docker save --help 2>/dev/null | grep -q -- '--platform' && docker save --platform "linux/$arch" -o "$archive" "$JSPOLICY_IMAGE"; }; then
    note "docker save --platform is not available here: saving $JSPOLICY_IMAGE as it is"
    docker save -o "$archive" "$JSPOLICY_IMAGE"
  fi
  kind load image-archive "$archive" --name "$CLUSTER_NAME"
  rm -f "$archive"
  local node
  for node in $(kind get nodes --name "$CLUSTER_NAME"); do
    docker exec "$node" crictl inspecti "$(full_image_name "$JSPOLICY_IMAGE")" >/dev/null ||
      fail "$JSPOLICY_IMAGE is not on node $node after kind load"
    note "$JSPOLICY_IMAGE is on node $node"
  done
}

# loftsh/jspolicy:0.2.2 -> docker.io/loftsh/jspolicy:0.2.2 (how containerd names it)
full_image_name() {
  local image=$1 first=${1%%/*}
  if [[ "$image" != */* ]]; then echo "docker.io/library/$image"
  elif [[ "$first" == *.* || "$first" == *:* || "$first" == localhost ]]; then echo "$image"
  else echo "docker.io/$image"; fi
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

model_info() { node -p "require(process.argv[1])[process.argv[2]]" "$STATE_DIR/model.json" "$1"; }

process_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

start_model() {
  log "start-model"
  mkdir -p "$STATE_DIR"
  stop_model quiet
  rm -f "$STATE_DIR/model.json" "$STATE_DIR/model-summary.json" "$STATE_DIR/relay.log" "$STATE_DIR/fake-model.log"
  [[ -f dist/cli.mjs ]] || fail "dist/cli.mjs is missing: run the build step first"
  local host bind watch=$$
  host="$(model_host)"
  bind="${BIND_ADDRESS:-$host}"
  [[ "$KEEP_MODEL" != 1 ]] || watch=0
  E2E_MODEL_KEY="$API_KEY" node "$ROOT/scripts/e2e-model.mjs" --cli "$ROOT/dist/cli.mjs" --script "$FAKE_MODEL_SCRIPT" \
    --bind "$bind" --port "$MODEL_PORT" --fake-port "$FAKE_MODEL_PORT" --state-dir "$STATE_DIR" \
    --lifetime "$MODEL_LIFETIME" --watch-pid "$watch" >"$STATE_DIR/model.log" 2>&1 &
  echo $! >"$STATE_DIR/model.pid"
  MODEL_STARTED_HERE=1
  poll 30 "the fake model and the relay to listen" model_listening
  local port
  port="$(model_info port)"
  echo "$host" >"$STATE_DIR/model-host"
  echo "$port" >"$STATE_DIR/model-port"
  # The relay works from here: a request through it reaches the fake model (a 404 names it).
  poll 15 "the relay to reach the fake model" model_answers "http://$(url_host "$bind"):$port/v1/models"
  note "pods reach the fake model at http://$host:$port/v1"
}

url_host() { if [[ "$1" == 0.0.0.0 ]]; then echo 127.0.0.1; else echo "$1"; fi; }

model_listening() {
  local pid
  pid="$(cat "$STATE_DIR/model.pid" 2>/dev/null || true)"
  if ! process_alive "$pid"; then
    echo "the model exited: $(tail -n 20 "$STATE_DIR/model.log" 2>/dev/null)"
    return 3
  fi
  [[ -f "$STATE_DIR/model.json" ]] || { echo "not listening yet"; return 1; }
  cat "$STATE_DIR/model.log"
}

model_answers() {
  node -e '
    const url = process.argv[1];
    const req = require("node:http").get(url, { timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => { console.log(url + " -> " + res.statusCode + " " + body.slice(0, 160)); process.exit(body.includes("fake model") ? 0 : 1); });
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", (e) => { console.log(url + ": " + e.message); process.exit(1); });
  ' "$1"
}

stop_model() {
  [[ "${1:-}" == quiet ]] || log "stop-model"
  local file="$STATE_DIR/model.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if process_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while process_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if process_alive "$pid"; then
      note "the model did not stop within 20 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      local fake
      fake="$(model_info fakeModelPid 2>/dev/null || true)"
      [[ -z "$fake" ]] || kill -KILL "$fake" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
  if [[ -f "$STATE_DIR/model.log" ]]; then tail -n 3 "$STATE_DIR/model.log" | sed 's/^/    /' >&2; fi
  return 0
}

install_jspolicy() {
  resolve_jspolicy
  log "install-jspolicy chart $JSPOLICY_VERSION, image $JSPOLICY_IMAGE"
  local host port
  host="$(cat "$STATE_DIR/model-host" 2>/dev/null || model_host)"
  port="$(cat "$STATE_DIR/model-port" 2>/dev/null || echo "$MODEL_PORT")"
  helm --kube-context "$KCTX" upgrade --install jspolicy jspolicy --repo "$JSPOLICY_CHART_REPO" --version "$JSPOLICY_VERSION" \
    -n jspolicy --create-namespace \
    --set "image=$JSPOLICY_IMAGE" \
    --set env.SSL_CERT_DIR=/etc/ssl/certs:/var/run/secrets/kubernetes.io/serviceaccount \
    --set "env.OPENAI_BASE_URL=http://$host:$port/v1" \
    --set env.OPENAI_MODEL=fake \
    --wait --timeout 5m
  k -n jspolicy rollout status deploy/jspolicy --timeout 180s
  # /healthz answers before leader election: the pod must lead, and have written its webhook
  # configuration, before anything of ours is applied.
  poll 60 "one running, ready jsPolicy pod with image $JSPOLICY_IMAGE" jspolicy_pod
  poll 150 "jsPolicy to lead and register its webhook jspolicy.jspolicy.com" jspolicy_leading
}

jspolicy_pod() {
  k -n jspolicy get pods -l app=jspolicy,release=jspolicy -o json | E2E_CHECK_VALUE_FILE="$STATE_DIR/jspolicy-pod" checks jspolicy-pod "$JSPOLICY_IMAGE"
}

jspolicy_leading() {
  local pod
  pod="$(cat "$STATE_DIR/jspolicy-pod")"
  k -n jspolicy get configmap,lease jspolicy-controller --ignore-not-found -o json | checks leader "$pod" || return
  k get validatingwebhookconfiguration jspolicy -o json | checks jspolicy-webhook
}

# Runs in the jsPolicy pod (node:16-slim has node): the very address fetchSync will call.
PROBE_JS='
const base = process.env.OPENAI_BASE_URL;
if (!base) { console.log("OPENAI_BASE_URL is not set in the jsPolicy pod"); process.exit(3); }
const req = require("http").get(base + "/models", { timeout: 5000 }, (res) => {
  let body = "";
  res.on("data", (d) => (body += d));
  res.on("end", () => { console.log(base + "/models -> " + res.statusCode + " " + body.slice(0, 160)); process.exit(body.includes("fake model") ? 0 : 1); });
});
req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
req.on("error", (e) => { console.log(base + "/models: " + e.message); process.exit(1); });
'

probe_model() {
  log "probe-model (from inside the jsPolicy pod)"
  poll 90 "the fake model to answer the jsPolicy pod" k -n jspolicy exec deploy/jspolicy -c jspolicy -- node -e "$PROBE_JS"
}

create_secret() {
  log "create-secret"
  k -n jspolicy create secret generic gptpolicy-openai --from-literal=OPENAI_API_KEY="$API_KEY" \
    --dry-run=client -o yaml | k apply -f -
}

install_gptpolicy() {
  log "install-gptpolicy from $MANIFESTS"
  # One apply, in any order (README, "Install into a cluster"): the bootstrap installs the
  # controllers and the starter skills once the CRDs are Established.
  k apply --server-side -f "$MANIFESTS/gptpolicy.yaml"
  local controller
  for controller in "$BOOTSTRAP" "${CONTROLLERS[@]}"; do wait_controller_ready "$controller"; done
  # ControllerReady only says jsPolicy started it: a skill's status.verified says it runs and writes.
  poll 180 "the controller to check a PolicySkill" controller_checks_skills
}

controller_state() { k get jspolicy "$1" -o json | checks controller-ready; }
controller_checks_skills() { k get policyskills -o json | checks skills-checked; }

# ControllerReady=True on controller JsPolicy $1, which the bootstrap may not have created yet.
# jsPolicy starts a controller policy once per hash; after InitControllerPolicy the bootstrap
# restarts it (a new hash of the same meaning), so that is waited out too, within the deadline.
wait_controller_ready() {
  local name=$1 deadline=$((SECONDS + 180)) out rc told=0
  while :; do
    rc=0
    out="$(controller_state "$name" 2>&1)" || rc=$?
    case "$rc" in
      0) note "$out"; return 0 ;;
      3) fail "the controller JsPolicy $name: $out" ;;
      4) if ((!told)); then log "jsPolicy could not start $name yet, the bootstrap restarts it: $out"; told=1; fi ;;
    esac
    if ((SECONDS >= deadline)); then fail "timed out after 180s waiting for ControllerReady on $name; the last check said: $out"; fi
    sleep "$POLL_INTERVAL"
  done
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

gptpolicy_ready() { k get gptpolicy "$GP_NAME" -o json | checks gptpolicy-ready; }
policy_shape() { k get jspolicy "$POLICY_NAME" -o json | checks policy-shape "$GP_NAME"; }
policy_condition() { k get jspolicy "$POLICY_NAME" -o json | checks condition "$1"; }
policy_webhook() { k get validatingwebhookconfigurations -o json | checks policy-webhook "$POLICY_NAME"; }

# A Dry policy admits the pod: the proof that it ran is the denial jsPolicy logs for it. The first
# requests may reach the API server before it has loaded the webhook: each try is a new pod name.
dry_denial_logged() {
  local pod out
  pod="e2e-dry-$BASHPID-$SECONDS"
  if ! out="$(pod_request test prod "$pod" 2>&1)"; then
    echo "a prod pod in test was denied while the policy runs Dry: $out"
    return 3
  fi
  k get jspolicyviolations "$POLICY_NAME" --ignore-not-found -o json | E2E_CHECK_VALUE_FILE="$STATE_DIR/request-user" checks violation Dry test e2e-dry-
}

check_policy() {
  log "check-policy"
  poll 300 "GPTPolicy $GP_NAME to be Ready" gptpolicy_ready
  local name
  name="$(k get gptpolicy "$GP_NAME" -o jsonpath='{.status.policyName}')"
  [[ "$name" == "$POLICY_NAME" ]] || fail "status.policyName is '$name', want $POLICY_NAME"
  poll 30 "the emitted JsPolicy to be what the intent asks for" policy_shape
  poll 60 "WebhookReady on $name" policy_condition WebhookReady
  poll 60 "jsPolicy to write the webhook configuration of $name" policy_webhook
  poll 120 "jsPolicy to log the Dry denial of a prod pod in test (JsPolicyViolations $name)" dry_denial_logged
  note "before approval: a prod pod in test is admitted, and its denial only logged (Dry)"
}

# The user this kubeconfig acts as (kind: kubernetes-admin), as the API server tells it.
request_user() {
  local user
  user="$(k auth whoami -o jsonpath='{.status.userInfo.username}' 2>/dev/null || true)"
  [[ -n "$user" ]] || user="$(cat "$STATE_DIR/request-user" 2>/dev/null || true)"
  [[ -n "$user" ]] || fail "cannot tell which user this kubeconfig acts as (kubectl auth whoami failed, and no Dry violation recorded one)"
  echo "$user"
}

approval_manifest() { # approval_manifest NAME SPEC-HASH
  cat <<EOF
apiVersion: gptpolicy.dev/v1alpha1
kind: PolicyApproval
metadata:
  name: $1
spec:
  gptPolicy: $GP_NAME
  stage: Deny
  specHash: $2
  approvedBy: $FORGED_APPROVER
EOF
}

# Our mutating approval-stamp policy answers: a server-side dry run comes back stamped.
stamp_answers() { # stamp_answers USER HASH
  local got
  got="$(approval_manifest "$GP_NAME.stamp-probe" "$2" | k create --dry-run=server -o jsonpath='{.spec.approvedBy}' -f -)" || return 1
  if [[ "$got" != "$1" ]]; then echo "a dry-run approval came back with approvedBy '$got', want '$1'"; return 1; fi
  echo "the approval stamp answers: approvedBy '$FORGED_APPROVER' is replaced by '$1'"
}

approval_stamped() {
  local got
  got="$(k get policyapproval "$APPROVAL_NAME" -o jsonpath='{.spec.approvedBy}')" || return 1
  if [[ "$got" == "$FORGED_APPROVER" ]]; then echo "spec.approvedBy kept the forged '$got'"; return 3; fi
  if [[ "$got" != "$1" ]]; then echo "spec.approvedBy is '$got', want '$1'"; return 1; fi
  echo "PolicyApproval $APPROVAL_NAME: spec.approvedBy '$got' (it claimed '$FORGED_APPROVER')"
}

rollout_at() { # rollout_at STAGE USER
  k get "gptpolicy/$GP_NAME" "jspolicy/$POLICY_NAME" "policyapproval/$APPROVAL_NAME" -o json | checks rollout "$1" "$2" "$GP_NAME" "$APPROVAL_NAME"
}

approve() {
  log "approve"
  local hash user
  hash="$(k get gptpolicy "$GP_NAME" -o jsonpath='{.status.rollout.specHash}')"
  [[ -n "$hash" ]] || fail "status.rollout.specHash is empty"
  user="$(request_user)"
  note "approving spec hash $hash as $user"
  poll 60 "the approval stamp webhook to answer" stamp_answers "$user" "$hash"
  approval_manifest "$APPROVAL_NAME" "$hash" | k create -f -
  poll 30 "spec.approvedBy stamped with the creating user ($user)" approval_stamped "$user"
  poll 180 "stage Deny: the JsPolicy, the GPTPolicy's rollout and the approval" rollout_at Deny "$user"
}

# Asks the API server to admit a pod (server-side dry run: admission webhooks run, nothing is stored).
pod_request() { # pod_request NAMESPACE ENV [NAME]
  local namespace=$1 env=$2 name=${3:-e2e-$2}
  k create --dry-run=server -o name -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: $namespace
  labels:
    env: $env
spec:
  containers:
    - name: c
      image: registry.k8s.io/pause:3.10
EOF
}

# Denied by our webhook (not by anything else): the API server names it in the message.
prod_pod_denied() {
  local out
  if out="$(pod_request test prod e2e-prod 2>&1)"; then echo "a prod pod in test is still admitted"; return 1; fi
  if [[ "$out" != *"\"$POLICY_NAME\""*"denied the request"* ]]; then echo "a prod pod in test failed, but not by a denial of $POLICY_NAME: $out"; return 3; fi
  echo "prod pod in test: $out"
}

deny_logged() { k get jspolicyviolations "$POLICY_NAME" -o json | checks violation Deny test e2e-prod; }

check_pods() {
  log "check-pods"
  # jsPolicy reads violationPolicy from its cache: the first denial may take a moment.
  poll 90 "a prod pod in test to be denied by $POLICY_NAME" prod_pod_denied
  poll 60 "jsPolicy to log the denial as Deny" deny_logged
  local out
  out="$(pod_request test dev 2>&1)" || fail "a dev pod in test was denied: $out"
  note "dev pod in test: admitted"
  out="$(pod_request kube-system prod 2>&1)" || fail "a prod pod in kube-system was denied: $out"
  note "prod pod in kube-system: admitted (protected namespaces are out of reach)"
}

model_calls_counted() { k get gptpolicy "$GP_NAME" -o json | checks usage "$EXPECT_MODEL_CALLS"; }

check_model_calls() {
  log "check-model-calls (the scenario expects $EXPECT_MODEL_CALLS)"
  poll 30 "the GPTPolicy's status to count $EXPECT_MODEL_CALLS model call(s)" model_calls_counted
  stop_model
  [[ -f "$STATE_DIR/model-summary.json" ]] || fail "the model left no summary ($STATE_DIR/model-summary.json): see $STATE_DIR/model.log"
  local out
  out="$(checks model-summary "$EXPECT_MODEL_CALLS" <"$STATE_DIR/model-summary.json")" || fail "$out"
  note "$out"
}

delete_cluster() {
  log "delete-cluster $CLUSTER_NAME"
  kind delete cluster --name "$CLUSTER_NAME"
}

# Runs a command for at most SECONDS where coreutils' timeout exists (macOS has none by default).
bounded() { # bounded SECONDS COMMAND...
  local seconds=$1
  shift
  if command -v timeout >/dev/null 2>&1; then timeout "$seconds" "$@"; else "$@"; fi
}

# One diagnostic file: kd FILE KUBECTL-ARGS... (bounded; its errors go into the file too).
kd() {
  local file=$1
  shift
  k --request-timeout=20s "$@" >"$ARTIFACTS_DIR/$file" 2>&1
}

# Diagnostics: everything that explains a failure, as files in $ARTIFACTS_DIR (CI uploads them),
# and the essentials on stderr. Never fails, and every cluster call is bounded.
logs() {
  log "logs -> $ARTIFACTS_DIR"
  local dir=$ARTIFACTS_DIR
  # An earlier run's diagnostics go first, but only from a directory this script made.
  if [[ -f "$dir/.gptpolicy-e2e-diagnostics" ]]; then rm -rf "${dir:?}"/*; fi
  mkdir -p "$dir/model"
  touch "$dir/.gptpolicy-e2e-diagnostics"
  print_config >"$dir/config.txt" 2>/dev/null
  local f
  for f in "$STATE_DIR"/*.log "$STATE_DIR"/*.json; do
    if [[ -f "$f" ]]; then cp "$f" "$dir/model/"; fi
  done
  if ! command -v kind >/dev/null 2>&1 || ! cluster_exists; then
    echo "no kind cluster named $CLUSTER_NAME: nothing was collected from a cluster" >"$dir/cluster.txt"
    note "no kind cluster named $CLUSTER_NAME: only the model's logs were collected"
    summarize_diagnostics
    return 0
  fi
  kd nodes.txt get nodes -o wide
  kd pods-all.txt get pods -A -o wide
  kd events-all.txt get events -A --sort-by=.lastTimestamp
  kd jspolicy-describe.txt -n jspolicy describe deployments,replicasets,pods
  kd jspolicy-events.txt -n jspolicy get events --sort-by=.lastTimestamp
  kd jspolicy-leader.yaml -n jspolicy get configmap,lease jspolicy-controller --ignore-not-found -o yaml
  local pod
  for pod in $(k --request-timeout=20s -n jspolicy get pods -o name 2>/dev/null); do
    kd "jspolicy-log-${pod#pod/}.txt" -n jspolicy logs "$pod" --all-containers --timestamps
    kd "jspolicy-log-${pod#pod/}-previous.txt" -n jspolicy logs "$pod" --all-containers --timestamps --previous
  done
  kd gptpolicies.txt get gptpolicies -o wide
  kd gptpolicies.yaml get gptpolicies -o yaml
  kd policyapprovals.yaml get policyapprovals -o yaml
  kd policyskills.txt get policyskills -o wide
  kd describe-ours.txt describe gptpolicies,policyapprovals,jspolicies
  kd jspolicies.txt get jspolicies -o wide
  kd jspolicies.yaml get jspolicies -o yaml
  kd jspolicybundles.txt get jspolicybundles
  kd jspolicyviolations.yaml get jspolicyviolations -o yaml
  kd validatingwebhookconfigurations.yaml get validatingwebhookconfigurations -o yaml
  kd mutatingwebhookconfigurations.yaml get mutatingwebhookconfigurations -o yaml
  kd crds.txt get crds
  if command -v helm >/dev/null 2>&1; then
    bounded 60 helm --kube-context "$KCTX" -n jspolicy status jspolicy >"$dir/helm-status.txt" 2>&1
    bounded 60 helm --kube-context "$KCTX" -n jspolicy get values --all jspolicy >"$dir/helm-values.yaml" 2>&1
  fi
  bounded 180 kind export logs "$dir/kind-logs" --name "$CLUSTER_NAME" >"$dir/kind-export.txt" 2>&1
  summarize_diagnostics
  return 0
}

summarize_diagnostics() {
  local dir=$ARTIFACTS_DIR f
  for f in "$dir/gptpolicies.txt" "$dir/jspolicies.txt" "$dir/model/model.log"; do
    if [[ -s "$f" ]]; then printf -- '--- %s\n' "${f#"$dir"/}" >&2; tail -n 30 "$f" >&2; fi
  done
  for f in "$dir"/jspolicy-log-*.txt; do
    if [[ -s "$f" && "$f" != *-previous.txt ]]; then printf -- '--- %s (last 60 lines)\n' "${f#"$dir"/}" >&2; tail -n 60 "$f" >&2; fi
  done
  note "diagnostics: $dir ($(find "$dir" -type f | wc -l | tr -d ' ') files)"
}

# The exit path, for every run: the exit code is kept; the model this run started is stopped (so
# its summary is complete) before diagnostics are collected on failure. Nothing here may exit early.
on_exit() {
  local status=$?
  trap - EXIT
  set +eu
  if ((MODEL_STARTED_HERE)) && [[ "$KEEP_MODEL" != 1 ]]; then stop_model quiet; fi
  if ((status != 0)); then
    logs
    if [[ " ${RUN_STEPS[*]} " == *" all "* ]] && command -v kind >/dev/null 2>&1 && cluster_exists; then
      note "the cluster $CLUSTER_NAME is kept for inspection (kubectl --context $KCTX ...); the next run deletes it, or: scripts/e2e-kind.sh delete-cluster"
    fi
    printf 'FAILED (exit %s)\n' "$status" >&2
  fi
  exit "$status"
}

inject_failure() { # after a step: E2E_INJECT_FAILURE=STEP:CODE exits here with CODE
  [[ -n "$E2E_INJECT_FAILURE" && "${E2E_INJECT_FAILURE%%:*}" == "$1" ]] || return 0
  local code=${E2E_INJECT_FAILURE##*:}
  printf 'FAIL: injected failure after %s (E2E_INJECT_FAILURE), exit %s\n' "$1" "$code" >&2
  exit "$code"
}

all() {
  local step
  for step in "${STEPS_OF_ALL[@]}"; do
    run_step "$step"
  done
  log "PASS: the incident intent is enforced in test, and nowhere else"
  if [[ "$KEEP_CLUSTER" != 1 ]]; then run_step delete-cluster; fi
}

STEP_NAMES=(print-config check-tools build check-arch create-cluster load-image start-model install-jspolicy
  probe-model create-secret install-gptpolicy apply-intent check-policy approve check-pods check-model-calls
  delete-cluster reset logs stop-model all)

run_step() {
  case "$1" in
    print-config) print_config ;;
    check-tools) check_tools ;;
    build) build ;;
    check-arch) check_arch ;;
    create-cluster) create_cluster ;;
    load-image) load_image ;;
    start-model) start_model ;;
    install-jspolicy) install_jspolicy ;;
    probe-model) probe_model ;;
    create-secret) create_secret ;;
    install-gptpolicy) install_gptpolicy ;;
    apply-intent) apply_intent ;;
    check-policy) check_policy ;;
    approve) approve ;;
    check-pods) check_pods ;;
    check-model-calls) check_model_calls ;;
    delete-cluster) delete_cluster ;;
    reset) reset ;;
    logs) logs ;;
    stop-model) stop_model ;;
    all) all ;;
  esac
  inject_failure "$1"
}

main() {
  if (($# == 0)); then set -- all; fi
  local step
  for step in "$@"; do
    case "$step" in -h | --help | help) usage; exit 0 ;; esac
  done
  for step in "$@"; do
    if [[ " ${STEP_NAMES[*]} " != *" $step "* ]]; then
      printf 'unknown step: %s\n\n' "$step" >&2
      usage >&2
      exit 2
    fi
  done
  if [[ -n "$E2E_INJECT_FAILURE" && ! "$E2E_INJECT_FAILURE" =~ ^[a-z-]+:[0-9]+$ ]]; then
    printf 'E2E_INJECT_FAILURE must be STEP:CODE, got %s\n' "$E2E_INJECT_FAILURE" >&2
    exit 2
  fi
  RUN_STEPS=("$@")
  mkdir -p "$STATE_DIR"
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  for step in "$@"; do run_step "$step"; done
}

main "$@"
