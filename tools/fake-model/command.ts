// `gptpolicy fake-model --script FILE.json [--port N]`: serves a scripted fake model in the
// foreground until SIGTERM/SIGINT (README's local demo, CI end-to-end job).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseScript, startFakeModel } from './index.ts';

export interface CommandIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Resolves relative --script paths; default process.cwd(). */
  cwd?: string;
  /** Stops the server when aborted. When given, process signals are NOT listened to (tests). */
  signal?: AbortSignal;
}

const USAGE = `usage: gptpolicy fake-model --script FILE.json [--port N]

Serves a scripted OpenAI-compatible chat-completions endpoint on 127.0.0.1 until SIGTERM/SIGINT.
FILE.json is an array of scripted replies, played in order; the last one repeats once exhausted:
  {"toolCall": {"name": "...", "arguments": {...}}, "usage"?: {...}, "delayMs"?: N}
  {"content": "..."}
  {"status": 429, "body"?: ..., "headers"?: {"retry-after": "1"}}
  {"hang": true}
`;

/** Runs the command; argv are the arguments after "fake-model" (a leading "fake-model" is skipped). */
export async function fakeModelCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = argv[0] === 'fake-model' ? argv.slice(1) : argv;
  let scriptPath: string | undefined;
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') {
      io.stdout.write(USAGE);
      return 0;
    } else if (flag === '--script') {
      scriptPath = value();
    } else if (flag === '--port') {
      const text = value();
      port = Number(text);
      if (text === undefined || !/^\d+$/.test(text) || port > 65535) {
        io.stderr.write(`fake-model: --port needs a port number, got ${JSON.stringify(text ?? '')}\n`);
        return 2;
      }
    } else {
      io.stderr.write(`fake-model: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  if (!scriptPath) {
    io.stderr.write(`fake-model: --script FILE.json is required\n${USAGE}`);
    return 2;
  }

  let script;
  const file = resolve(io.cwd ?? process.cwd(), scriptPath);
  try {
    script = parseScript(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    io.stderr.write(`fake-model: ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  let model;
  try {
    model = await startFakeModel(script, { whenExhausted: 'repeat-last', port });
  } catch (error) {
    io.stderr.write(`fake-model: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.stdout.write(`fake model listening on ${model.baseUrl}\n`);

  await new Promise<void>((done) => {
    if (io.signal) {
      if (io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
      return;
    }
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      done();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

  const served = (await model.requests().catch(() => [])).length;
  await model.close();
  io.stdout.write(`fake model stopped after ${served} request${served === 1 ? '' : 's'}\n`);
  return 0;
}
