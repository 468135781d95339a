// What generate and goal share: the built controller in the local jsPolicy runtime, given the
// environment the jsPolicy container would get, a preloaded cluster and a skill library it has verified.
import type { KubeObject } from '../../lib/k8s/types.ts';
import { builtSkills, LocalJsPolicy, readYamlObjects } from '../local/local-jspolicy.ts';
import { loadLibrary } from '../skills/load.ts';
import type { CommandIo } from './io.ts';

const PASSED_ENV = ['OPENAI_BASE_URL', 'OPENAI_MODEL', 'GPTPOLICY_MAX_TOKENS', 'GPTPOLICY_MAX_TOKENS_PARAM', 'GPTPOLICY_TOOL_MODE', 'GPTPOLICY_PROTECTED_NAMESPACES'];

/** Environment the jsPolicy container would be given (Helm values), passed through from ours. */
export function passedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(PASSED_ENV.filter((k) => env[k]).map((k) => [k, env[k] as string]));
}

export interface LocalControllerFlags {
  cluster?: string[];
  skills?: string;
}

/**
 * The runtime with the skill library verified, as the controller does on installation, and its
 * write counter reset: what a command reports from here is what its own intent or goal cost.
 */
export async function startLocalController(values: LocalControllerFlags, io: CommandIo, env: NodeJS.ProcessEnv): Promise<LocalJsPolicy> {
  const objects = (values.cluster ?? []).flatMap((file) => readYamlObjects(file));
  const skills = values.skills ? ((await loadLibrary(values.skills)) as KubeObject[]) : builtSkills();
  const local = new LocalJsPolicy({ apiKey: env.OPENAI_API_KEY, env: passedEnv(env), allowNetwork: true, objects, skills, log: (line) => io.stderr(`${line}\n`) });
  if (!env.OPENAI_API_KEY) io.stderr('OPENAI_API_KEY is not set: the controller will find no key\n');
  const verified = local.settle();
  io.stderr(`skill library: ${skills.length} skills verified in ${verified.runs} controller runs\n`);
  local.writes.reset();
  return local;
}
