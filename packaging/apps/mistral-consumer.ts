// The @tollgate/mistral part of consumer.ts, apart because the Mistral SDK is ESM-only: under
// `module: node16` no CommonJS file can import it (TS1479), while nodenext models the require()
// of ESM that Node 20.19 and later have.
import { Mistral } from '@mistralai/mistralai';
import { createBudget } from '@tollgate/core';
import { wrapMistral } from '@tollgate/mistral';

export async function callMistral(serverURL: string): Promise<string | undefined> {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  const mistral: Mistral = wrapMistral(new Mistral({ apiKey: 'test', serverURL }), budget, {
    requestType: 'chat',
  });
  const chat = await mistral.chat.complete({
    model: 'mistral-small-latest',
    messages: [{ role: 'user', content: 'Hello' }],
  });
  // @ts-expect-error: a wrong option is an error, so the declarations were found and are not `any`.
  wrapMistral(new Mistral({ apiKey: 'test' }), budget, { onInsufficientBudget: 'sometimes' });
  return chat.id;
}
