import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { appDirectory } = inject('packaging');

const CONSUMERS = ['consumer', 'mistral-consumer', 'google-consumer', 'ai-sdk-consumer'];

interface Setting {
  readonly name: string;
  readonly module: string;
  readonly moduleResolution: string;
  readonly files: readonly string[];
}

// In the app's `"type": "commonjs"` package a `.ts` file is CommonJS under node16 and nodenext.
const SETTINGS: readonly Setting[] = [
  {
    name: 'nodenext',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    files: [
      'consumer.mts',
      'consumer.cts',
      'consumer.ts',
      'mistral-consumer.mts',
      'mistral-consumer.cts',
      'mistral-consumer.ts',
      'google-consumer.mts',
      'google-consumer.cts',
      'google-consumer.ts',
      'ai-sdk-consumer.mts',
      'ai-sdk-consumer.cts',
      'ai-sdk-consumer.ts',
    ],
  },
  {
    name: 'node16',
    module: 'node16',
    moduleResolution: 'node16',
    // Not mistral-consumer.cts/.ts nor google-consumer.cts/.ts: node16 cannot require() the ESM-only
    // Mistral SDK nor @google/genai's ESM types (see mistral-consumer.ts, google-consumer.ts).
    files: [
      'consumer.mts',
      'consumer.cts',
      'consumer.ts',
      'mistral-consumer.mts',
      'google-consumer.mts',
      'ai-sdk-consumer.mts',
      'ai-sdk-consumer.cts',
      'ai-sdk-consumer.ts',
    ],
  },
  {
    name: 'bundler, module esnext',
    module: 'esnext',
    moduleResolution: 'bundler',
    files: [
      'consumer.ts',
      'consumer.mts',
      'mistral-consumer.ts',
      'mistral-consumer.mts',
      'google-consumer.ts',
      'google-consumer.mts',
      'ai-sdk-consumer.ts',
      'ai-sdk-consumer.mts',
    ],
  },
  {
    name: 'bundler, module preserve',
    module: 'preserve',
    moduleResolution: 'bundler',
    files: [
      'consumer.ts',
      'consumer.mts',
      'mistral-consumer.ts',
      'mistral-consumer.mts',
      'google-consumer.ts',
      'google-consumer.mts',
      'ai-sdk-consumer.ts',
      'ai-sdk-consumer.mts',
    ],
  },
];

describe('strict TypeScript consumers (tsc 5.9)', () => {
  beforeAll(async () => {
    for (const consumer of CONSUMERS) {
      for (const extension of ['.mts', '.cts']) {
        await copyFile(join(appDirectory, `${consumer}.ts`), join(appDirectory, consumer + extension));
      }
    }
  });

  const titled = SETTINGS.map(
    (setting) => [`${setting.name}: ${setting.files.join(', ')}`, setting] as const,
  );
  it.each(titled)('%s', async (_, setting) => {
    const configPath = join(appDirectory, `tsconfig.${setting.name.replace(/\W+/g, '-')}.json`);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module: setting.module,
      moduleResolution: setting.moduleResolution,
      types: ['node'],
      // The packages' declarations are checked too, not only how the consumer uses them.
      skipLibCheck: false,
    };
    await writeFile(configPath, JSON.stringify({ compilerOptions, files: setting.files }, null, 2));

    const result = await runCommand(join(appDirectory, 'node_modules', '.bin', 'tsc'), ['-p', configPath], {
      cwd: appDirectory,
    });
    expect(result.status, describeRun(result)).toBe(0);
  });
});
