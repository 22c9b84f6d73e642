/**
 * The npm package: `npm pack` in a scratch copy of the project (its `prepack` builds the minified
 * bundles there, leaving the development ones in dist/ to the other tests), then the tarball
 * installed offline, with an empty npm cache, into an empty folder, and both of its commands
 * run from there: the CLI lints a manifest, the language server answers `initialize` over each
 * transport it accepts.
 */
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { manifestWith } from './util';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'stripe-apps-npm-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});
const sourcePackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** Runs npm with a cache of its own (empty at first), so nothing comes from elsewhere. */
function npm(args: string[], cwd: string): string {
  const run = spawnSync('npm', [...args, '--cache', join(scratch, 'npm-cache')], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  assert.equal(run.status, 0, `npm ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** Both ends of an LSP stream transport (`Content-Length` framing), seen from the client. */
class RpcPeer {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    input.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    input.on('close', () => {
      for (const { reject } of this.waiting.values()) reject(new Error('the server went away'));
      this.waiting.clear();
    });
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
    });
    this.send({ jsonrpc: '2.0', id, method, params });
    return answer;
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: object): void {
    const body = JSON.stringify(message);
    this.output.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private drain(): void {
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.toString('ascii', 0, headerEnd);
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.toString('utf8', start, start + length)) as {
        id?: number;
        result?: unknown;
      };
      this.buffer = this.buffer.subarray(start + length);
      const pending = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (pending && 'result' in message) {
        this.waiting.delete(message.id as number);
        pending.resolve(message.result);
      }
    }
  }
}

const INITIALIZE = { processId: process.pid, rootUri: null, capabilities: {} };

function assertInitializeResult(result: unknown): void {
  const { capabilities, serverInfo } = result as {
    capabilities: Record<string, unknown>;
    serverInfo: { name: string };
  };
  assert.equal(serverInfo.name, 'Stripe Apps manifest language server');
  assert.ok(capabilities.hoverProvider, 'hover');
  assert.ok(capabilities.completionProvider, 'completion');
}

async function stopped(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('the npm package', () => {
  let tarball: string;
  let packed: PackResult;
  let installed: string;
  let bin: (name: string) => string;

  before(() => {
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      cpSync(join(root, file), join(scratch, file));
    }
    for (const dir of ['syntaxes', 'images']) {
      cpSync(join(root, dir), join(scratch, dir), { recursive: true });
    }
    for (const dir of ['server', 'client', 'scripts', 'node_modules']) {
      symlinkSync(join(root, dir), join(scratch, dir), 'dir');
    }
    // Files the allow-list must keep out.
    mkdirSync(join(scratch, 'test'));
    writeFileSync(join(scratch, 'test', 'decoy.test.ts'), '');
    writeFileSync(join(scratch, 'notes.md'), '');

    const [result] = JSON.parse(npm(['pack', '--json'], scratch)) as PackResult[];
    assert.ok(result);
    packed = result;
    tarball = join(scratch, packed.filename);

    installed = join(scratch, 'consumer');
    mkdirSync(installed);
    writeFileSync(join(installed, 'package.json'), '{ "name": "consumer", "private": true }\n');
    npm(['install', '--offline', '--no-audit', '--no-fund', tarball], installed);
    bin = (name) => join(installed, 'node_modules', '.bin', name);
  });

  it('holds the bundles, the extension files and the docs, and nothing else', () => {
    assert.equal(packed.filename, `${sourcePackage.name}-${sourcePackage.version}.tgz`);
    assert.deepEqual(packed.files.map((file) => file.path).sort(), [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/analysis.js',
      'dist/cli.js',
      'dist/extension.js',
      'dist/server.js',
      'images/icon.png',
      'package.json',
      'syntaxes/stripe-app-permissions-yaml.tmLanguage.json',
      'syntaxes/stripe-app-permissions.tmLanguage.json',
    ]);
  });

  it('installs offline without pulling a single dependency', () => {
    const lock = JSON.parse(readFileSync(join(installed, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(lock.packages).sort(), ['', `node_modules/${sourcePackage.name}`]);
  });

  it('runs the CLI by its one name', () => {
    const project = join(scratch, 'app');
    mkdirSync(project);
    writeFileSync(
      join(project, 'stripe-app.json'),
      manifestWith(`[
    { "permission": "customers_read", "purpose": "Shows the customer's plan in the sidebar" }
  ]`),
    );
    const lint = spawnSync(bin('stripe-apps-manifest'), ['lint', '--format', 'text'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTIONS: '' },
    });
    assert.equal(lint.status, 1, lint.stderr);
    assert.match(lint.stdout, /^stripe-app\.json:7:21 error unknown-permission .*customer_read/);
    const version = spawnSync(bin('stripe-apps-manifest'), ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout, `${sourcePackage.version}\n`);
  });

  it('runs the language server on stdio when started by its bare command', async () => {
    const server = spawn(bin('stripe-apps-language-server'), [], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const peer = new RpcPeer(server.stdout, server.stdin);
      assertInitializeResult(await peer.request('initialize', INITIALIZE));
      assert.equal(await peer.request('shutdown', null), null);
      peer.notify('exit');
      assert.equal(await stopped(server), 0);
    } finally {
      server.kill();
    }
  });

  it('accepts --stdio, --socket=PORT and --node-ipc', async () => {
    const withStdio = spawn(bin('stripe-apps-language-server'), ['--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const peer = new RpcPeer(withStdio.stdout, withStdio.stdin);
      assertInitializeResult(await peer.request('initialize', INITIALIZE));
    } finally {
      withStdio.kill();
    }

    // --socket: the client listens, the server connects to it.
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const { port } = listener.address() as AddressInfo;
    const withSocket = spawn(bin('stripe-apps-language-server'), [`--socket=${port}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const [socket] = (await once(listener, 'connection')) as [Socket];
      assertInitializeResult(await new RpcPeer(socket, socket).request('initialize', INITIALIZE));
      socket.destroy();
    } finally {
      withSocket.kill();
      listener.close();
    }

    // --node-ipc: messages travel over Node's IPC channel.
    const script = join(installed, 'node_modules', sourcePackage.name, 'dist', 'server.js');
    const withIpc = fork(script, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const answered = new Promise<unknown>((resolve) => {
        withIpc.on('message', (message: { id?: number; result?: unknown }) => {
          if (message.id === 1) resolve(message.result);
        });
      });
      withIpc.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INITIALIZE });
      assertInitializeResult(await answered);
    } finally {
      withIpc.kill();
    }
  });

  it('prints its usage and version instead of starting when asked', () => {
    const help = spawnSync(bin('stripe-apps-language-server'), ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: stripe-apps-language-server \[--stdio/);
    const version = spawnSync(bin('stripe-apps-language-server'), ['--version'], {
      encoding: 'utf8',
    });
    assert.equal(version.stdout, `${sourcePackage.version}\n`);
  });
});
