import { VERSION } from 'openai/version';
import { expect, it } from 'vitest';

// The matrix runs every test file of this package against each supported openai major.
it(`runs against openai ${process.env.OPENAI_SDK_MAJOR ?? '7'}.x`, () => {
  expect(VERSION.split('.')[0]).toBe(process.env.OPENAI_SDK_MAJOR ?? '7');
});
