/**
 * Writes RELIABILITY.md at the repository root from reliability/notes/*.md: the fixed
 * introduction below, then each note in SECTIONS order as one "## " section (the note's
 * headings one level down; code blocks untouched).
 *
 *   node reliability/scripts/assemble-reliability-md.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const SECTIONS = [
  'storage-faults',
  'crashes',
  'streams',
  'untrusted-usage',
  'hostile-input',
  'tenant-isolation',
  'secrets',
  'denial-of-wallet',
];

const INTRODUCTION = `# Reliability

tollgate promises: never over budget, never a lost or doubled record, never a leaked secret.
This file records what proves it, with the figures of the full run and the command that
reproduces each. The code is in [\`reliability/\`](reliability) (\`@tollgate/reliability\`); this
file is assembled from \`reliability/notes/*.md\` by \`node reliability/scripts/assemble-reliability-md.mjs\`.

- \`pnpm test\` runs every reliability test in its small \`ci\` profile (part of CI).
- \`pnpm test:reliability\` runs the \`full\` profile, whose figures are below (about 25 minutes on
  a 2-core machine; each section gives its own command). Runs are seeded: \`RELIABILITY_SEED=<n>\`
  replays one.

Figures were measured on 2026-11-29 on a 2-core, 24 GiB machine running other work at the same
time; latencies vary from run to run, counts of lost, doubled or leaked records do not.
`;

function demoted(note) {
  let inCode = false;
  return note
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) inCode = !inCode;
      return !inCode && /^#+ /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

const notes = SECTIONS.map((name) =>
  demoted(readFileSync(new URL(`../notes/${name}.md`, import.meta.url), 'utf8').trimEnd()),
);
writeFileSync(new URL('../../RELIABILITY.md', import.meta.url), `${INTRODUCTION}\n${notes.join('\n\n')}\n`);
