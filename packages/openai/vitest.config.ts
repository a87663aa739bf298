import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// OPENAI_SDK_MAJOR=6 runs the same tests against openai 6 (installed as `openai-v6`), the last
// major that supports Node 20; the default is the openai 7 a Node 22 app gets.
const openaiMajor = process.env.OPENAI_SDK_MAJOR ?? '7';
if (openaiMajor !== '6' && openaiMajor !== '7') throw new Error('OPENAI_SDK_MAJOR must be 6 or 7');

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    resolve: {
      alias: openaiMajor === '6' ? [{ find: /^openai(\/.*)?$/, replacement: 'openai-v6$1' }] : [],
    },
  }),
);
