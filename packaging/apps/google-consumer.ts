// The @tollgate/google part of consumer.ts, apart because @google/genai's types are ESM (its package
// is `"type": "module"` and one .d.ts serves require and import): under `module: node16` no CommonJS
// file can import them (TS1479), while nodenext models the require() of ESM that Node 20.19 has.
import { GoogleGenAI } from '@google/genai';
import { createBudget } from '@tollgate/core';
import { wrapGoogleGenAI } from '@tollgate/google';

export async function callGemini(baseUrl: string): Promise<string | undefined> {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  const ai: GoogleGenAI = wrapGoogleGenAI(
    new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl } }),
    budget,
    {
      requestType: 'chat',
      estimateWith: 'countTokens',
    },
  );
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: 'Hello',
    config: { maxOutputTokens: 16 },
  });
  // @ts-expect-error: a wrong option is an error, so the declarations were found and are not `any`.
  wrapGoogleGenAI(new GoogleGenAI({ apiKey: 'test' }), budget, { estimateWith: 'sometimes' });
  return response.text;
}
