import { defineConfig } from 'vitest/config';

// OPENAI_SDK_MAJOR=6 runs the same tests against openai 6 (installed as `openai-v6`), the last
// major that supports Node 20; the default is the openai 7 a Node 22 app gets.
const openaiMajor = process.env.OPENAI_SDK_MAJOR ?? '7';
if (openaiMajor !== '6' && openaiMajor !== '7') throw new Error('OPENAI_SDK_MAJOR must be 6 or 7');

export default defineConfig({
  resolve: {
    alias: openaiMajor === '6' ? [{ find: /^openai(\/.*)?$/, replacement: 'openai-v6$1' }] : [],
  },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // A poll waits on state, not on time: a busy machine may take more than the default second.
    expect: { poll: { timeout: 10_000 } },
  },
});
