// The gptpolicy command line: one entry, one module per command.
import { fakeModelCommand } from '../fake-model/index.ts';
import { approveCommand } from './approve.ts';
import { benchCommand } from './bench.ts';
import { generateCommand } from './generate.ts';
import { goalCommand } from './goal.ts';
import type { CommandIo } from './io.ts';
import { kubectlPluginCommand } from './kubectl-plugin.ts';
import { lintCommand } from './lint.ts';
import { reviewCommand } from './review.ts';
import { skillsCommand } from './skills.ts';
import { testCommand } from './test.ts';

declare const GPTPOLICY_VERSION: string;

const USAGE = `usage: gptpolicy COMMAND [ARGS]

  generate "DESCRIPTION"   run the built controller locally and print the policy it would create
  goal "GOAL"              run a PolicyGoal's curriculum locally: its children, their policies, the progress
  test FILE...             run PolicyTest files against their policies in the local jsPolicy runtime
  lint FILE...             check JsPolicy manifests (--json, --profile generated|jspolicy, --cluster FILE)
  review [FILE|-]          what to judge before approving: intent, plan, code, guard rails, impact, diff, hash
  approve NAME --hash H    print the PolicyApproval that enforces GPTPolicy NAME's reviewed policy
  skills test|export|import  verify, share and import the skill library (skills/ or PolicySkill YAML)
  bench --tasks DIR        run the intent benchmark against the configured endpoint (docs/bench.md)
  fake-model --script F    serve a scripted OpenAI-compatible endpoint on 127.0.0.1 (demos, CI)
  version                  print the version`;

const io: CommandIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'generate':
      return generateCommand(args, io);
    case 'goal':
      return goalCommand(args, io);
    case 'test':
      return testCommand(args, io);
    case 'lint':
      return lintCommand(args, io);
    case 'review':
      return reviewCommand(args, io);
    case 'approve':
      return approveCommand(args, io);
    case 'skills':
      return skillsCommand(args, io);
    case 'bench':
      return benchCommand(args, io);
    case 'fake-model':
      return fakeModelCommand(args, { stdout: process.stdout, stderr: process.stderr });
    case 'version':
    case '--version':
      io.stdout(`${typeof GPTPOLICY_VERSION === 'string' ? GPTPOLICY_VERSION : 'dev'}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      io.stderr(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
      return 2;
  }
}

// Installed as kubectl-gptpolicy too (package.json bin): kubectl runs it as `kubectl gptpolicy …`.
const asKubectlPlugin = /(^|[\\/])kubectl-gptpolicy(\.m?js)?$/.test(process.argv[1] ?? '');

(asKubectlPlugin ? kubectlPluginCommand(process.argv.slice(2), io) : main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gptpolicy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
