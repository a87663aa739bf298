import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { packed } = inject('packaging');

const REQUIRED = ['package.json', 'README.md', 'LICENSE'];
/** What must never be published, anywhere in a tarball. */
const FORBIDDEN: readonly [string, RegExp][] = [
  ['a test', /\.(test|spec)\.[cm]?[jt]sx?$/],
  ['a fixture', /(^|\/)__fixtures__\//],
  ['a source file', /(^|\/)src\//],
  ['a source map', /\.map$/],
  ['TypeScript build info', /\.tsbuildinfo$/],
  ['a bench file', /(^|\/)bench\//],
  ['a test-server file', /(^|\/)test-server\//],
];

/** Why a file should not be in the tarball; empty when it belongs there. */
function reasonsAgainst(file: string): string[] {
  const outsideDist = !REQUIRED.includes(file) && !file.startsWith('dist/');
  return [
    ...(outsideDist ? ['outside dist'] : []),
    ...FORBIDDEN.filter(([, pattern]) => pattern.test(file)).map(([what]) => what),
  ];
}

describe('tarball contents', () => {
  it.each(packed.map((entry) => [entry.name, entry.tarball]))(
    '%s ships dist, README.md, LICENSE and package.json, and nothing else',
    async (_, tarball) => {
      const listing = await runCommand('tar', ['-tzf', tarball], { cwd: '/' });
      expect(listing.status, describeRun(listing)).toBe(0);
      const files = listing.stdout
        .split('\n')
        .filter(Boolean)
        .map((path) => path.replace(/^package\//, ''));

      const problems = [
        ...REQUIRED.filter((file) => !files.includes(file)).map((file) => `missing ${file}`),
        ...(files.some((file) => file.startsWith('dist/')) ? [] : ['missing dist/']),
        ...files.flatMap((file) => {
          const reasons = reasonsAgainst(file);
          return reasons.length === 0 ? [] : [`${file}: ${reasons.join(', ')}`];
        }),
      ];
      expect(problems).toEqual([]);
    },
  );
});
