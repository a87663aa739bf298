// Starts a throwaway MongoDB-wire server on 127.0.0.1 for tests. No dependencies.
// Build the servers first with: bash .ci/install-mongo-test-servers
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cacheDir = fileURLToPath(new URL('../../../.ci/cache/', import.meta.url));
const secantusLauncher = fileURLToPath(new URL('./secantusdb/secantusdb_test_server.py', import.meta.url));
const installScript = fileURLToPath(new URL('../../../.ci/install-mongo-test-servers', import.meta.url));

/** Builds a missing server once (Java 17 + Maven, Go, or a Python venv), so `pnpm test` works on a fresh clone. */
function buildTestServer(kind) {
  spawnSync('bash', [installScript], { env: { ...process.env, MONGO_TEST_SERVERS: kind }, stdio: 'inherit' });
}

const SERVERS = {
  java: {
    artifact: `${cacheDir}mongo-java-test-server.jar`,
    command: (artifact) => ['java', ['-XX:+UseSerialGC', '-jar', artifact, '0']],
  },
  ferretdb: {
    artifact: `${cacheDir}ferretdb-test-server`,
    command: (artifact) => [artifact, ['0']],
  },
  secantusdb: {
    artifact: `${cacheDir}secantusdb-venv/bin/secantusd-py`,
    command: () => [`${cacheDir}secantusdb-venv/bin/python`, [secantusLauncher, '0']],
  },
};

/**
 * @param {{ kind?: 'java' | 'ferretdb' | 'secantusdb', timeoutMs?: number }} [options]
 * @returns {Promise<{ uri: string, kind: string, port: number, stop: () => Promise<void> }>}
 */
export async function startMongoTestServer({ kind = 'java', timeoutMs = 60_000 } = {}) {
  const server = SERVERS[kind];
  if (!server) {
    throw new Error(
      `unknown MongoDB test server kind ${JSON.stringify(kind)} (use 'java', 'ferretdb' or 'secantusdb')`,
    );
  }
  if (!existsSync(server.artifact)) buildTestServer(kind);
  if (!existsSync(server.artifact)) {
    throw new Error(
      `MongoDB test server '${kind}' is not built (${server.artifact} is missing): run bash .ci/install-mongo-test-servers`,
    );
  }

  const [command, args] = server.command(server.artifact);
  // stdin stays open as a lifeline: the server exits when it closes, so it never outlives this process.
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });

  child.stdin.on('error', () => {}); // EPIPE once the server is gone is expected
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  let port;
  try {
    port = await waitForListening(child, exited, timeoutMs, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  // Let this process exit even if stop() is never called; closing stdin then stops the server.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.unref?.();

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return { uri: `mongodb://127.0.0.1:${port}/`, kind, port, stop };
}

function waitForListening(child, exited, timeoutMs, getStderr) {
  return new Promise((resolve, reject) => {
    const fail = (message) => reject(new Error(`${message}\n--- server stderr ---\n${getStderr()}`));
    const timer = setTimeout(() => fail(`server did not print LISTENING within ${timeoutMs} ms`), timeoutMs);

    let stdout = '';
    child.stdout.setEncoding('utf8');
    // Keeps draining stdout after LISTENING so a chatty server never blocks on a full pipe.
    child.stdout.on('data', (chunk) => {
      if (stdout === null) return;
      stdout += chunk;
      const match = /^LISTENING (\d+)$/m.exec(stdout);
      if (match) {
        stdout = null;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(`could not start ${child.spawnfile}: ${error.message}`);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(`server exited before listening (code ${code}, signal ${signal})`);
    });
  });
}
