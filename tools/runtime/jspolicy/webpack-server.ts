// The warm compile service: one long-lived host-Node process that plays `webpack-cli --config
// webpack.config.js` (jsPolicy v0.2.2 pkg/bundle/bundle.go:99) once per request, through webpack-cli's
// own code path (lib/bootstrap.js → WebpackCLI.run, as bin/cli.js does), so what it prints is what
// the real command prints into jsPolicy's combined stdout+stderr buffer (bundle.go:119-122).
//
// Started by webpack-bundle.ts with the HOST node (process.execPath), argv[2] = webpack-cli's
// package.json (this file runs from a temp .cjs or from dist/, so it cannot resolve webpack-cli
// itself), env = PATH only (a pod's webpack-cli has no TTY: colors off). Frames as the engine's
// (engine/child.ts): fd 3 in, fd 4 out, 4-byte little-endian length + UTF-8 JSON; {op:'ready', v8}
// once at start; each request {op:'webpack-cli', cwd, argv} is answered {op:'done', value: CliRun}.
//
// A run ends when webpack's callback has returned (webpack-cli prints the stats inside it, and the
// real process would exit right after), when webpack-cli calls process.exit, or when its run()
// settles without having started webpack. process.exit is not allowed to end this process in the
// middle of a request: the exit code is recorded, the answer sent, and the process exits then
// (its state may be anything after a path that expected to die); the host starts a new one.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { Socket } from 'node:net';

/** What one `webpack-cli --config webpack.config.js` run printed and how it ended. */
export interface CliRun {
  /** stdout and stderr interleaved in write order, like Go's shared Buffer for cmd.Stdout and cmd.Stderr. */
  output: string;
  /** The process's exit status (process.exit's argument, else process.exitCode, else 0). */
  exitCode: number;
  /** webpack-cli called process.exit: this service exits after answering. */
  exited: boolean;
}

export interface CliRequest {
  op: 'webpack-cli';
  /** The directory the command runs in (cmd.Dir = tempDir, bundle.go:120). */
  cwd: string;
  /** process.argv of the command: [node, webpack-cli, '--config', 'webpack.config.js']. */
  argv: string[];
}

const IN = 3;
const OUT = 4;
const pause = new Int32Array(new SharedArrayBuffer(4));

function send(frame: unknown): void {
  const body = Buffer.from(JSON.stringify(frame), 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  let offset = 0;
  while (offset < out.length) {
    try {
      offset += writeSync(OUT, out, offset, out.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

const cliPackageJson = process.argv[2];
if (!cliPackageJson) throw new Error('webpack-server: argv[2] must be the path of webpack-cli/package.json');
const cliRequire = createRequire(cliPackageJson);
const cliDirectory = dirname(cliPackageJson) + sep;

/**
 * webpack-cli's bootstrap, loaded afresh for every run: WebpackCLI registers its commands on
 * commander's singleton `program` (its own node_modules/commander), so a second run in the same
 * process would run every earlier run's action again. A new process has fresh modules; here every
 * module under webpack-cli's directory is dropped from the cache instead (webpack itself, the slow
 * part to load, stays warm).
 */
function freshBootstrap(): (argv: string[]) => Promise<void> {
  for (const file of Object.keys(cliRequire.cache)) if (file.startsWith(cliDirectory)) delete cliRequire.cache[file];
  return cliRequire('./lib/bootstrap.js') as (argv: string[]) => Promise<void>;
}

interface Current {
  write(chunk: unknown, encoding?: unknown): void;
  /** webpack() was called by webpack-cli (its callback will end the run). */
  started: boolean;
  finish(): void;
  exit(code: number): void;
}

let current: Current | undefined;

// webpack-cli loads webpack with require('webpack') from its own directory (loadWebpack →
// tryRequireThenImport): the module cache entry is replaced by a Proxy that passes everything through
// and only learns when the compile callback has returned.
const webpackPath = cliRequire.resolve('webpack');
const webpack = cliRequire(webpackPath) as (...args: unknown[]) => unknown;
const cached = cliRequire.cache[webpackPath];
if (!cached) throw new Error(`webpack-server: ${webpackPath} is not in the module cache`);
cached.exports = new Proxy(webpack, {
  apply(target, self, args: unknown[]) {
    const run = current;
    const callback = args[1];
    if (run && typeof callback === 'function') {
      run.started = true;
      args = [
        args[0],
        (...results: unknown[]) => {
          try {
            return (callback as (...a: unknown[]) => unknown)(...results);
          } finally {
            run.finish();
          }
        },
        ...args.slice(2),
      ];
    }
    return Reflect.apply(target, self, args);
  },
});

const realStdoutWrite = process.stdout.write;
const realStderrWrite = process.stderr.write;
const realExit = process.exit;
const realCwd = process.cwd();

function capture(stream: NodeJS.WriteStream): void {
  stream.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    current?.write(chunk, encoding);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  } as NodeJS.WriteStream['write'];
}

let exitAfterAnswer = false;

function webpackCli(request: CliRequest): Promise<CliRun> {
  return new Promise((resolve) => {
    let output = '';
    let exitCode: number | undefined;
    let done = false;
    const run: Current = {
      started: false,
      write(chunk, encoding) {
        if (done) return;
        output += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString((typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding);
      },
      finish() {
        if (done) return;
        done = true;
        current = undefined;
        process.stdout.write = realStdoutWrite;
        process.stderr.write = realStderrWrite;
        process.exit = realExit;
        const status = exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
        process.exitCode = undefined;
        // The config (and anything it required) came from the run's temp dir: unique per run.
        for (const file of Object.keys(cliRequire.cache)) if (file.startsWith(request.cwd + sep)) delete cliRequire.cache[file];
        try {
          process.chdir(realCwd);
        } catch {
          process.chdir('/');
        }
        resolve({ output, exitCode: status, exited: exitCode !== undefined });
      },
      exit(code) {
        if (done) return;
        exitCode = code;
        exitAfterAnswer = true;
        run.finish();
      },
    };
    current = run;
    process.exitCode = undefined;
    capture(process.stdout);
    capture(process.stderr);
    process.exit = ((code?: number | string | null) => {
      run.exit(code === undefined || code === null ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : Number(code));
      return undefined as never;
    }) as typeof process.exit;
    process.chdir(request.cwd);
    // bin/cli.js: import-local finds no local webpack-cli in a fresh temp dir, then runCLI(process.argv).
    freshBootstrap()(request.argv).then(
      () => {
        if (!run.started) run.finish();
      },
      (error: unknown) => {
        run.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        run.exit(1);
      },
    );
  });
}

// An exception nobody catches would end the real process with its stack on stderr and status 1.
const uncaught = (error: unknown): void => {
  if (!current) {
    // Left over from a finished run (its process would be gone by now): noted, not fatal to the next run.
    realStderrWrite.call(process.stderr, `webpack-server: after a run: ${error instanceof Error ? error.stack : String(error)}\n`);
    return;
  }
  current.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  current.exit(1);
};
process.on('uncaughtException', uncaught);
process.on('unhandledRejection', uncaught);

let queue: Promise<void> = Promise.resolve();
let pending = Buffer.alloc(0);
const input = new Socket({ fd: IN, readable: true, writable: false });
input.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const length = pending.readUInt32LE(0);
    if (pending.length < 4 + length) break;
    const request = JSON.parse(pending.subarray(4, 4 + length).toString('utf8')) as CliRequest;
    pending = pending.subarray(4 + length);
    queue = queue.then(async () => {
      const value = await webpackCli(request);
      send({ op: 'done', value });
      if (exitAfterAnswer) realExit.call(process, value.exitCode);
    });
  }
});
input.on('end', () => realExit.call(process, 0));
input.on('error', () => realExit.call(process, 0));

send({ op: 'ready', v8: process.versions.v8 });
