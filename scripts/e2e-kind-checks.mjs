#!/usr/bin/env node
// The checks scripts/e2e-kind.sh makes on what kubectl returns, one per subcommand, reading the
// object's JSON on stdin:
//
//   node scripts/e2e-kind-checks.mjs CHECK [ARG...] < object.json
//
// Exit 0: the claim holds (a line saying what was seen goes to stdout). 1: not yet (what is
// missing goes to stdout; the script polls again until its deadline). 3: it can no longer hold
// (retrying cannot help; the script fails at once). 4: controller-ready only, jsPolicy gave up
// starting the controller (reason InitControllerPolicy; the script recovers once). 2: bad usage.
// The shapes are jsPolicy's (v0.2.x: pkg/controllers/jspolicy.go, pkg/webhook/audit.go,
// pkg/leaderelection, pkg/store/validatingwebhookconfiguration) and our CRDs'.
import { readFileSync, writeFileSync } from 'node:fs';

const OK = 0;
const NOT_YET = 1;
const USAGE = 2;
const NEVER = 3;
const INIT_CONTROLLER_POLICY = 4;

/** Ready reasons after which nothing more happens until the intent changes (lib/controller/status.ts). */
const FINAL_REASONS = new Set([
  'NoApiKey',
  'BadConfig',
  'ModelAuthFailed',
  'ModelRequestRejected',
  'ModelBadResponse',
  'ModelCallInterrupted',
  'RunInterrupted',
  'ControllerError',
  'MalformedAnswer',
  'PolicyRefused',
  'AttemptsExhausted',
  'PolicyNameTaken',
  'PolicyRejected',
  'PolicyCompileFailed',
]);

const json = (value) => JSON.stringify(value);
const conditionOf = (object, type) => (object?.status?.conditions ?? []).find((c) => c?.type === type);
const describe = (c) => (c ? `${c.type}=${c.status}${c.reason ? `, reason ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}` : 'not set');
const itemsOf = (object) => (Array.isArray(object?.items) ? object.items : object ? [object] : []);
const ownedBy = (object, kind, name) => (object?.metadata?.ownerReferences ?? []).some((o) => o?.kind === kind && o?.name === name);

const checks = {
  /** Exactly one jsPolicy pod, running and ready, not being deleted, with container image IMAGE. Prints its name. */
  'jspolicy-pod'([image], input) {
    if (!image) return [USAGE, 'jspolicy-pod IMAGE'];
    const pods = itemsOf(input).filter((p) => p?.metadata && !p.metadata.deletionTimestamp);
    if (pods.length !== 1) return [NOT_YET, `${pods.length} jsPolicy pods (want one): ${pods.map((p) => `${p.metadata.name} ${p.status?.phase}`).join(', ') || 'none'}`];
    const [pod] = pods;
    const container = (pod.spec?.containers ?? []).find((c) => c?.name === 'jspolicy') ?? pod.spec?.containers?.[0];
    if (container?.image !== image) return [NEVER, `pod ${pod.metadata.name} runs image ${json(container?.image)}, want ${json(image)} (the one loaded into kind)`];
    const ready = (pod.status?.conditions ?? []).find((c) => c?.type === 'Ready');
    const status = (pod.status?.containerStatuses ?? []).find((c) => c?.name === container.name);
    if (pod.status?.phase !== 'Running' || ready?.status !== 'True') {
      const waiting = status?.state?.waiting;
      return [NOT_YET, `pod ${pod.metadata.name}: phase ${pod.status?.phase}, Ready ${ready?.status ?? 'unset'}${waiting ? `, waiting: ${waiting.reason} ${waiting.message ?? ''}` : ''}`];
    }
    return [OK, `jsPolicy pod ${pod.metadata.name}: running ${image} (${status?.imageID ?? 'image ID unknown'}), ${status?.restartCount ?? 0} restart(s)`, pod.metadata.name];
  },

  /** jsPolicy's leader record (ConfigMap or Lease jspolicy-controller) names pod ARG. */
  leader([pod], input) {
    if (!pod) return [USAGE, 'leader POD'];
    const holders = itemsOf(input).map((o) => {
      if (o?.kind === 'Lease') return o.spec?.holderIdentity;
      const record = o?.metadata?.annotations?.['control-plane.alpha.kubernetes.io/leader'];
      try {
        return record ? JSON.parse(record).holderIdentity : undefined;
      } catch {
        return undefined;
      }
    });
    // jsPolicy's identity is the hostname (the pod's name) plus "-external-jspolicy-controller";
    // controller-runtime's (a later jsPolicy could use it) is the hostname, "_" and a UUID.
    const holder = holders.find((h) => typeof h === 'string' && (h === pod || h === `${pod}-external-jspolicy-controller` || h.startsWith(`${pod}_`)));
    if (holder) return [OK, `jsPolicy leader: ${holder}`];
    return [NOT_YET, `the leader record names ${holders.filter(Boolean).map(json).join(', ') || 'nobody yet'}, not pod ${pod}`];
  },

  /** jsPolicy's own ValidatingWebhookConfiguration (written once it leads) has its webhook and CA. */
  'jspolicy-webhook'(_args, input) {
    const webhook = (input?.webhooks ?? []).find((w) => w?.name === 'jspolicy.jspolicy.com');
    if (!webhook) return [NOT_YET, `ValidatingWebhookConfiguration ${input?.metadata?.name ?? 'jspolicy'} has no webhook jspolicy.jspolicy.com yet (webhooks: ${json((input?.webhooks ?? []).map((w) => w?.name))})`];
    if (!webhook.clientConfig?.caBundle) return [NOT_YET, 'webhook jspolicy.jspolicy.com has no caBundle yet'];
    return [OK, `webhook jspolicy.jspolicy.com registered (service ${webhook.clientConfig?.service?.namespace}/${webhook.clientConfig?.service?.name})`];
  },

  /** A controller JsPolicy is started: ControllerReady=True; InitControllerPolicy is reported apart. */
  'controller-ready'(_args, input) {
    if (!input?.metadata) return [NOT_YET, 'the JsPolicy does not exist yet'];
    const compiled = conditionOf(input, 'BundleCompiled');
    if (compiled?.status === 'False') return [NEVER, `jsPolicy could not compile it: ${describe(compiled)}`];
    const ready = conditionOf(input, 'ControllerReady');
    if (ready?.status === 'True') return [OK, `${input.metadata.name}: ${describe(ready)}`];
    if (ready?.status === 'False' && ready.reason === 'InitControllerPolicy') return [INIT_CONTROLLER_POLICY, `${input.metadata.name}: ${describe(ready)}`];
    if (ready?.status === 'False') return [NEVER, `${input.metadata.name}: ${describe(ready)}`];
    return [NOT_YET, `${input.metadata.name}: ControllerReady ${describe(ready)} (phase ${input.status?.phase ?? 'none'})`];
  },

  /** Condition TYPE of the object is True (its reason and message are shown while it is not). */
  condition([type], input) {
    if (!type) return [USAGE, 'condition TYPE'];
    if (!input?.metadata) return [NOT_YET, 'the object does not exist yet'];
    const found = conditionOf(input, type);
    const line = `${input.kind ?? 'object'} ${input.metadata.name}: ${found ? describe(found) : `${type} not set`}`;
    return [found?.status === 'True' ? OK : NOT_YET, line];
  },

  /** At least one PolicySkill carries status.verified: the controller runs and writes statuses. */
  'skills-checked'(_args, input) {
    const skills = itemsOf(input).filter((s) => s?.kind === 'PolicySkill' || s?.spec?.function);
    if (skills.length === 0) return [NOT_YET, 'no PolicySkills yet'];
    const checked = skills.filter((s) => typeof s.status?.verified === 'boolean');
    const verified = checked.filter((s) => s.status.verified === true);
    if (checked.length === 0) return [NOT_YET, `none of ${skills.length} PolicySkills has been checked by the controller yet`];
    return [OK, `the controller is running: ${checked.length} of ${skills.length} PolicySkills checked so far, ${verified.length} verified`];
  },

  /** The GPTPolicy is Ready; a final reason ends the wait at once. */
  'gptpolicy-ready'(_args, input) {
    if (!input?.metadata) return [NOT_YET, 'the GPTPolicy does not exist yet'];
    const ready = conditionOf(input, 'Ready');
    if (ready?.status === 'True') return [OK, `GPTPolicy ${input.metadata.name}: ${describe(ready)}`];
    if (ready?.status === 'False' && FINAL_REASONS.has(ready.reason)) return [NEVER, `GPTPolicy ${input.metadata.name} will not become Ready: ${describe(ready)}`];
    return [NOT_YET, `GPTPolicy ${input.metadata.name}: Ready ${describe(ready)}`];
  },

  /** The emitted JsPolicy is what the incident intent asks for, and runs Dry before approval. */
  'policy-shape'([gpName], input) {
    if (!gpName) return [USAGE, 'policy-shape GPTPOLICY'];
    const spec = input?.spec ?? {};
    const problems = [];
    const eq = (what, got, want) => {
      if (json(got) !== json(want)) problems.push(`${what}: ${json(got)}, want ${json(want)}`);
    };
    eq('owner', (input?.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`), [`GPTPolicy/${gpName}`]);
    eq('type', spec.type, 'Validating');
    eq('resources', spec.resources, ['pods']);
    eq('apiGroups', spec.apiGroups, ['']);
    eq('failurePolicy', spec.failurePolicy, 'Ignore');
    eq('violationPolicy (before approval)', spec.violationPolicy, 'Dry');
    const selector = json(spec.namespaceSelector ?? {});
    if (!selector.includes('"In"') || !selector.includes('"test"')) problems.push(`namespaceSelector does not select test: ${selector}`);
    if (!selector.includes('"NotIn"') || !selector.includes('kube-system')) problems.push(`namespaceSelector does not keep kube-system out: ${selector}`);
    if (problems.length) return [NEVER, `the emitted policy is not what the incident intent asks for:\n${problems.join('\n')}`];
    return [OK, `JsPolicy ${input.metadata.name}: ${spec.type} ${spec.operations} ${spec.resources} in ${selector}, ${spec.violationPolicy}`];
  },

  /** jsPolicy wrote the webhook configuration of JsPolicy ARG (a list of ValidatingWebhookConfigurations). */
  'policy-webhook'([name], input) {
    if (!name) return [USAGE, 'policy-webhook JSPOLICY'];
    const config = itemsOf(input).find((c) => ownedBy(c, 'JsPolicy', name));
    if (!config) return [NOT_YET, `no ValidatingWebhookConfiguration is owned by JsPolicy ${name} yet`];
    const webhook = (config.webhooks ?? []).find((w) => w?.name === name);
    if (!webhook) return [NOT_YET, `${config.metadata.name} has no webhook named ${name}`];
    if (webhook.failurePolicy !== 'Ignore') return [NEVER, `${config.metadata.name}: failurePolicy ${webhook.failurePolicy}, want Ignore`];
    return [OK, `ValidatingWebhookConfiguration ${config.metadata.name}: webhook ${name}, failurePolicy Ignore, path ${webhook.clientConfig?.service?.path}`];
  },

  /**
   * jsPolicy logged a violation in JsPolicyViolations: ACTION (Dry, Deny) for a request in NAMESPACE
   * whose object's name starts with PREFIX. Prints the requesting user.
   */
  violation([action, namespace, prefix], input) {
    if (!action || !namespace || !prefix) return [USAGE, 'violation ACTION NAMESPACE NAME-PREFIX'];
    const violations = input?.status?.violations ?? [];
    const found = [...violations].reverse().find((v) => v?.action === action && v?.requestInfo?.namespace === namespace && String(v?.requestInfo?.name ?? '').startsWith(prefix));
    if (!found) {
      const seen = violations.map((v) => `${v?.action} ${v?.requestInfo?.namespace}/${v?.requestInfo?.name}`);
      return [NOT_YET, `no ${action} violation for ${namespace}/${prefix}* in JsPolicyViolations ${input?.metadata?.name ?? '(none yet)'}${seen.length ? ` (logged: ${seen.join(', ')})` : ''}`];
    }
    return [OK, `${found.action} violation logged for ${namespace}/${found.requestInfo.name} by ${found.userInfo?.username ?? '?'}: ${found.message ?? ''}`, found.userInfo?.username ?? ''];
  },

  /** The approval is in force: JsPolicy at STAGE, GPTPolicy rollout at STAGE approved by USER, approval Active. */
  rollout([stage, user, gpName, approvalName], input) {
    if (!stage || !user || !gpName || !approvalName) return [USAGE, 'rollout STAGE USER GPTPOLICY APPROVAL (stdin: a List with the GPTPolicy, its JsPolicy and the approval)'];
    const items = itemsOf(input);
    const gp = items.find((o) => o?.kind === 'GPTPolicy' && o.metadata?.name === gpName);
    const approval = items.find((o) => o?.kind === 'PolicyApproval' && o.metadata?.name === approvalName);
    const policy = items.find((o) => o?.kind === 'JsPolicy' && o.metadata?.name === gp?.status?.policyName);
    const missing = [];
    if (!gp) missing.push(`GPTPolicy ${gpName}`);
    if (!approval) missing.push(`PolicyApproval ${approvalName}`);
    if (!policy) missing.push(`the JsPolicy named by status.policyName (${gp?.status?.policyName ?? 'unset'})`);
    if (missing.length) return [NOT_YET, `not found: ${missing.join(', ')}`];
    if (approval.spec?.approvedBy !== user) return [NEVER, `PolicyApproval ${approvalName}: spec.approvedBy is ${json(approval.spec?.approvedBy)}, want ${json(user)} (the stamp did not run)`];
    const phase = approval.status?.phase;
    if (phase === 'Stale' || phase === 'Invalid') return [NEVER, `PolicyApproval ${approvalName} is ${phase}: ${approval.status?.message ?? ''}`];
    const rollout = gp.status?.rollout ?? {};
    const got = `JsPolicy violationPolicy ${policy.spec?.violationPolicy}, GPTPolicy rollout stage ${rollout.stage} approved by ${json(rollout.approvedBy)}, approval ${phase ?? 'no phase yet'}`;
    if (policy.spec?.violationPolicy === stage && rollout.stage === stage && rollout.approvedBy === user && phase === 'Active') return [OK, got];
    return [NOT_YET, got];
  },

  /** The GPTPolicy's status counts EXPECTED model calls. */
  usage([expected], input) {
    if (expected === undefined || !/^\d+$/.test(expected)) return [USAGE, 'usage EXPECTED-CALLS'];
    const calls = input?.status?.usage?.modelCalls;
    if (calls === undefined) return [NOT_YET, 'status.usage.modelCalls is not set yet'];
    if (calls !== Number(expected)) return [NEVER, `status.usage.modelCalls is ${calls}, the scenario expects ${expected}`];
    return [OK, `GPTPolicy status: ${calls} model call(s), ${input.status.usage.totalTokens ?? '?'} tokens`];
  },

  /** scripts/e2e-model.mjs's summary: EXPECTED chat completions, all with the key, and every request the fake model served came through the relay. */
  'model-summary'([expected], input) {
    if (expected === undefined || !/^\d+$/.test(expected)) return [USAGE, 'model-summary EXPECTED-CALLS'];
    if (!input || typeof input.chatCompletions !== 'number') return [NEVER, 'no model summary (the model did not stop cleanly)'];
    const problems = [];
    if (input.chatCompletions !== Number(expected)) problems.push(`the fake model answered ${input.chatCompletions} chat completion(s), the scenario expects ${expected}`);
    if (input.chatCompletionsWithKey !== input.chatCompletions) problems.push(`${input.chatCompletions - input.chatCompletionsWithKey} chat completion(s) came without the key of Secret gptpolicy-openai`);
    if (input.fakeModelServed !== input.relayForwarded) problems.push(`the fake model served ${input.fakeModelServed ?? 'an unknown number of'} request(s), the relay forwarded ${input.relayForwarded}`);
    if (input.relayFailed) problems.push(`${input.relayFailed} request(s) through the relay failed (see relay.log)`);
    if (problems.length) return [NEVER, problems.join('; ')];
    return [OK, `the fake model answered ${input.chatCompletions} chat completion(s), as the scenario expects; it served ${input.fakeModelServed} request(s) in all (probes included), each through the relay`];
  },
};

function main(argv) {
  const [name, ...args] = argv;
  const check = checks[name];
  if (!check) {
    process.stdout.write(`usage: node scripts/e2e-kind-checks.mjs CHECK [ARG...] < object.json\nchecks: ${Object.keys(checks).join(', ')}\n`);
    return USAGE;
  }
  const text = readFileSync(0, 'utf8');
  let input;
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch (error) {
      process.stdout.write(`not JSON on stdin (${error.message}): ${text.slice(0, 200)}\n`);
      return NOT_YET;
    }
  }
  const [code, message, value] = check(args, input);
  if (code === USAGE) {
    process.stdout.write(`usage: node scripts/e2e-kind-checks.mjs ${message}\n`);
    return USAGE;
  }
  process.stdout.write(`${message}\n`);
  // A value the script needs afterwards (the requesting user), kept apart from the message.
  if (code === OK && value !== undefined && process.env.E2E_CHECK_VALUE_FILE) writeFileSync(process.env.E2E_CHECK_VALUE_FILE, `${value}\n`);
  return code;
}

process.exitCode = main(process.argv.slice(2));
