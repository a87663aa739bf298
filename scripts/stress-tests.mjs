// Runs the reliability `ci` profile and the MongoDB package tests N times while other processes
// keep every core busy, then prints how often each test failed. Exits non-zero if any test failed
// in any run.
//
//   pnpm test:flaky              10 runs
//   pnpm test:flaky --runs 20    (or STRESS_RUNS=20)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUITES = [
  { name: 'reliability', filter: '@tollgate/reliability' },
  { name: 'mongodb', filter: '@tollgate/mongodb' },
];

const runs = runsWanted();
const output = mkdtempSync(join(tmpdir(), 'tollgate-stress-'));
console.log(
  `${runs} runs of ${SUITES.map((suite) => suite.filter).join(' and ')}, with ${availableParallelism()} busy loops; logs in ${output}`,
);

/** Per test (file > full name): in how many runs it ran, and the runs where it failed, with the first line of why. */
const tests = new Map();
const note = (id, run, failure) => {
  const test = tests.get(id) ?? { ran: 0, failures: [] };
  test.ran += 1;
  if (failure !== undefined) test.failures.push({ run, failure });
  tests.set(id, test);
};

const busyLoops = Array.from({ length: availableParallelism() }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBusyLoops = () => {
  for (const loop of busyLoops) loop.kill('SIGKILL');
};
let suiteRunning;
process.on('exit', stopBusyLoops);
// Interrupted: what the finished runs found is still worth printing.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    suiteRunning?.kill('SIGTERM');
    console.log(`\n${signal}: interrupted; the runs finished so far:`);
    process.exit(printSummary() === 0 ? 130 : 1);
  });

for (let run = 1; run <= runs; run++) {
  for (const suite of SUITES) {
    const report = join(output, `${suite.name}-${run}.json`);
    const log = join(output, `${suite.name}-${run}.log`);
    const started = Date.now();
    const code = await runSuite(suite.filter, report, log);
    const seconds = Math.round((Date.now() - started) / 1000);
    const failed = readReport(suite.name, run, report);
    console.log(`run ${run}/${runs} ${suite.name}: exit ${code}, ${failed} failed, ${seconds} s`);
    // A run that failed without a failed test (the suite did not start, a hook failed) is a failure too.
    if (code !== 0 && failed === 0) note(`${suite.name} (the run itself)`, run, `exit ${code}, see ${log}`);
  }
}
stopBusyLoops();

process.exit(printSummary());

/** Prints the failures per test and why; returns the exit code: 0 when no test failed. */
function printSummary() {
  const rows = [...tests.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log('\nfailures | runs | test');
  console.log('-------: | ---: | ----');
  for (const [id, test] of rows)
    console.log(`${String(test.failures.length).padStart(8)} | ${String(test.ran).padStart(4)} | ${id}`);
  const failing = rows.filter(([, test]) => test.failures.length > 0);
  for (const [id, test] of failing) {
    console.log(`\n${id}`);
    for (const { run, failure } of test.failures) console.log(`  run ${run}: ${failure}`);
  }
  console.log(
    `\n${rows.length} tests: ${failing.length === 0 ? 'no failures' : `${failing.length} failing`}; logs in ${output}`,
  );
  return failing.length === 0 ? 0 : 1;
}

function runsWanted() {
  const flag = process.argv.indexOf('--runs');
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script, which turbo does not run
  const given = flag === -1 ? process.env.STRESS_RUNS : process.argv[flag + 1];
  const runs = given === undefined ? 10 : Number(given);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs (or STRESS_RUNS) must be a whole number from 1, not ${given}`);
    process.exit(2);
  }
  return runs;
}

/** `pnpm --filter <package> test` with vitest's JSON report beside its usual output; resolves to the exit code. */
function runSuite(filter, report, log) {
  return new Promise((resolve) => {
    const child = spawn(
      'pnpm',
      ['--filter', filter, 'test', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    suiteRunning = child;
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('close', (code) => {
      writeFileSync(log, Buffer.concat(chunks));
      resolve(code);
    });
  });
}

/** Notes every test of a vitest JSON report; returns how many failed. */
function readReport(suite, run, path) {
  if (!existsSync(path)) return 0;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  let failed = 0;
  for (const file of report.testResults) {
    const name = `${suite}/${relative(ROOT, file.name).replace(/^(reliability|packages\/mongodb)\//, '')}`;
    // A file that failed to load has no tests to report: count the file.
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      failed += 1;
      note(`${name} (the file)`, run, firstLine(file.message));
      continue;
    }
    for (const test of file.assertionResults) {
      if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') continue;
      const failure = test.status === 'passed' ? undefined : firstLine(test.failureMessages.join('\n'));
      if (failure !== undefined) failed += 1;
      note(`${name} > ${test.fullName}`, run, failure);
    }
  }
  return failed;
}

function firstLine(text) {
  return (text || '(no message)').trim().split('\n')[0].slice(0, 300);
}
