import { describe, expect, it } from 'vitest';
import { createBudget } from '../index';
import { checkSdkClient } from './sdk-client';

describe('checkSdkClient', () => {
  it('says the client comes first when the arguments are swapped', () => {
    expect(() => checkSdkClient(createBudget(), 'openai')).toThrow(
      "Invalid client: must be an OpenAI client (from 'openai'), got a budget: the client comes first, wrapOpenAI(client, budget)",
    );
  });

  it('names the SDK of a client of another one, and the wrapper it takes', () => {
    const mistral = { chat: { complete: () => undefined } };
    expect(() => checkSdkClient(mistral, 'anthropic')).toThrow(
      "must be an Anthropic client (from '@anthropic-ai/sdk'), got a Mistral client (from '@mistralai/mistralai'): wrap it with wrapMistral",
    );
  });
});
