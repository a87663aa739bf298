#!/usr/bin/env node
import { runCli } from './run-cli';

// `tollgate report | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

// For tests that check memory stays flat (an export of a million records): the peak resident set.
if (process.env.TOLLGATE_TEST_REPORT_MAX_RSS === '1')
  process.stderr.write(`tollgate: maxRSS ${process.resourceUsage().maxRSS} kB\n`);
