import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import type { Emulator } from '@tollgate/emulator';
import OpenAI from 'openai';
import pc from 'picocolors';
import { offlineEmulator } from './offline-emulator';
import type { ExampleContext } from './run';

export interface ProviderClient<Client> {
  client: Client;
  /** Set when no API key is configured and the client talks to the local emulator. */
  emulator?: Emulator;
}

const announced = new Set<string>();

function announce(provider: string, variable: string, emulator?: Emulator): void {
  if (announced.has(provider)) return;
  announced.add(provider);
  const where = emulator
    ? `offline, local emulator at ${emulator.url} (set ${variable} to use the real API)`
    : `the real API (${variable} is set)`;
  console.log(pc.dim(`${provider}: ${where}`));
}

export async function openaiClient(context: ExampleContext): Promise<ProviderClient<OpenAI>> {
  if (process.env.OPENAI_API_KEY) {
    announce('OpenAI', 'OPENAI_API_KEY');
    return { client: new OpenAI() };
  }
  const emulator = await offlineEmulator(context);
  announce('OpenAI', 'OPENAI_API_KEY', emulator);
  return {
    client: new OpenAI({ apiKey: 'offline', baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
    emulator,
  };
}

export async function anthropicClient(context: ExampleContext): Promise<ProviderClient<Anthropic>> {
  if (process.env.ANTHROPIC_API_KEY) {
    announce('Anthropic', 'ANTHROPIC_API_KEY');
    return { client: new Anthropic() };
  }
  const emulator = await offlineEmulator(context);
  announce('Anthropic', 'ANTHROPIC_API_KEY', emulator);
  return {
    client: new Anthropic({ apiKey: 'offline', baseURL: emulator.anthropicBaseURL, maxRetries: 0 }),
    emulator,
  };
}

export async function mistralClient(context: ExampleContext): Promise<ProviderClient<Mistral>> {
  if (process.env.MISTRAL_API_KEY) {
    announce('Mistral', 'MISTRAL_API_KEY');
    return { client: new Mistral({ apiKey: process.env.MISTRAL_API_KEY }) };
  }
  const emulator = await offlineEmulator(context);
  announce('Mistral', 'MISTRAL_API_KEY', emulator);
  return {
    client: new Mistral({
      apiKey: 'offline',
      serverURL: emulator.mistralServerURL,
      retryConfig: { strategy: 'none' },
    }),
    emulator,
  };
}
