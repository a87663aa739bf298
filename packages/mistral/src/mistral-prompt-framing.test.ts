import { readFileSync } from 'node:fs';
import { countTokens } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import { chatPrompt } from './mistral-prompt';

interface FramingCase {
  name: string;
  messages: unknown[];
  tools?: unknown[];
  promptTokens: Record<string, number>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/tekken-chat-prompts.json', import.meta.url), 'utf8'),
) as { reference: string; cases: FramingCase[] };

function heldTokens(request: { messages: unknown[]; tools?: unknown[] }): number {
  const prompt = chatPrompt(request);
  let tokens = prompt.overheadTokens;
  for (const text of prompt.texts) {
    const counted = countTokens(text, 'mistral', 'mistral-small-latest');
    expect(counted.method).toBe('exact');
    tokens += counted.upperBound;
  }
  return tokens;
}

describe('the chat template framing of a Mistral prompt', () => {
  it('was measured with mistral-common on every current Tekken template', () => {
    expect(fixture.reference).toMatch(/^mistral-common@\d+\.\d+\.\d+$/);
    for (const request of fixture.cases) expect(Object.keys(request.promptTokens)).toContain('v15');
    expect(fixture.cases.filter((request) => 'v13' in request.promptTokens)).toHaveLength(
      fixture.cases.length - 1,
    );
  });

  it.each(fixture.cases)('holds $name at or above the real prompt tokens of every template', (request) => {
    const real = Math.max(...Object.values(request.promptTokens));
    const held = heldTokens(request);
    expect(held).toBeGreaterThanOrEqual(real);
    // Close to it: the framing adds a few tokens of margin, not a multiple.
    expect(held).toBeLessThanOrEqual(Math.ceil(real * 1.1) + 6);
  });
});
