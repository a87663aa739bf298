import { ValidationError } from '../index';

/** The provider SDKs the adapters wrap, each told apart by a resource only its client has. */
export type SdkName = 'openai' | 'anthropic' | 'mistral' | 'google';

interface SdkShape {
  /** How the client is named in a message: `an OpenAI client`. */
  readonly client: string;
  readonly packageName: string;
  readonly wrapper: string;
  readonly matches: (client: Record<string, any>) => boolean;
}

const SDKS: Readonly<Record<SdkName, SdkShape>> = {
  openai: {
    client: 'an OpenAI client',
    packageName: 'openai',
    wrapper: 'wrapOpenAI',
    matches: (client) => typeof client.chat?.completions?.create === 'function',
  },
  anthropic: {
    client: 'an Anthropic client',
    packageName: '@anthropic-ai/sdk',
    wrapper: 'wrapAnthropic',
    matches: (client) => typeof client.messages?.create === 'function',
  },
  mistral: {
    client: 'a Mistral client',
    packageName: '@mistralai/mistralai',
    wrapper: 'wrapMistral',
    matches: (client) => typeof client.chat?.complete === 'function',
  },
  google: {
    client: 'a GoogleGenAI client',
    packageName: '@google/genai',
    wrapper: 'wrapGoogleGenAI',
    matches: (client) => typeof client.models?.generateContent === 'function',
  },
};

/** The SDK a client object comes from, by its resources (`chat.completions`, `messages`, `chat.complete`, `models.generateContent`). */
export function sdkOf(client: unknown): SdkName | undefined {
  if (client === null || typeof client !== 'object') return undefined;
  for (const name of Object.keys(SDKS) as SdkName[]) {
    try {
      if (SDKS[name].matches(client as Record<string, any>)) return name;
    } catch {
      // A getter or proxy that throws is not one of the SDKs' clients.
    }
  }
  return undefined;
}

/**
 * Refuses anything but a client of the `expected` SDK when it is wrapped, naming what was given
 * (another SDK's client, or the kind of value), so that its calls are never let through unrecorded.
 */
export function checkSdkClient(client: unknown, expected: SdkName): void {
  const found = sdkOf(client);
  if (found === expected) return;
  const want = SDKS[expected];
  const got =
    found !== undefined
      ? `${SDKS[found].client} (from '${SDKS[found].packageName}'): wrap it with ${SDKS[found].wrapper}`
      : isBudget(client)
        ? `a budget: the client comes first, ${want.wrapper}(client, budget)`
        : `${describeValue(client)}, which is not a client of any SDK tollgate wraps`;
  throw new ValidationError({
    field: 'client',
    message: `must be ${want.client} (from '${want.packageName}'), got ${got}`,
  });
}

/** A budget manager from any copy of core: what a swapped pair of arguments puts first. */
function isBudget(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { gate?: unknown }).gate === 'function' &&
    typeof (value as { status?: unknown }).status === 'function'
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a value of type ${typeof value}`;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object'
    ? `an object of class ${name.slice(0, 64)}`
    : 'a plain object';
}
