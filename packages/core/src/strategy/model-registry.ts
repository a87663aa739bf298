import {
  validateArray,
  validateBoolean,
  validateCount,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { SERVICE_TYPES, type ServiceType } from '../usage';

/** Quality tiers: 4 frontier, 3 high, 2 standard, 1 small. */
export type QualityTier = 1 | 2 | 3 | 4;

/** A model the strategy selector may choose, with its provider, service and quality tier. */
export interface ModelRegistryEntry {
  provider: string;
  model: string;
  service: ServiceType;
  tier: QualityTier;
  /** Runs on the app's own hardware at $0 (Ollama). */
  local?: boolean;
}

const REGISTRY_ENTRY_KEYS = optionKeys<ModelRegistryEntry>({
  provider: true,
  model: true,
  service: true,
  tier: true,
  local: true,
});

/**
 * Models the strategy selector chooses between, with their quality tiers. Local
 * models are not listed by default: the app adds the ones it actually runs.
 */
export const DEFAULT_MODEL_REGISTRY: readonly ModelRegistryEntry[] = [
  { provider: 'anthropic', model: 'claude-opus-4-5', service: 'llm', tier: 4 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', service: 'llm', tier: 3 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', service: 'llm', tier: 2 },
  { provider: 'openai', model: 'gpt-5', service: 'llm', tier: 4 },
  { provider: 'openai', model: 'gpt-4.1', service: 'llm', tier: 3 },
  { provider: 'openai', model: 'gpt-4o', service: 'llm', tier: 3 },
  { provider: 'openai', model: 'gpt-5-mini', service: 'llm', tier: 3 },
  { provider: 'openai', model: 'gpt-4.1-mini', service: 'llm', tier: 2 },
  { provider: 'openai', model: 'gpt-4o-mini', service: 'llm', tier: 2 },
  { provider: 'openai', model: 'gpt-5-nano', service: 'llm', tier: 1 },
  { provider: 'openai', model: 'gpt-4.1-nano', service: 'llm', tier: 1 },
  { provider: 'mistral', model: 'mistral-large-latest', service: 'llm', tier: 3 },
  { provider: 'mistral', model: 'mistral-medium-latest', service: 'llm', tier: 3 },
  { provider: 'mistral', model: 'mistral-small-latest', service: 'llm', tier: 2 },
  { provider: 'mistral', model: 'ministral-8b-latest', service: 'llm', tier: 1 },
  { provider: 'qwen', model: 'qwen-max', service: 'llm', tier: 3 },
  { provider: 'qwen', model: 'qwen-plus', service: 'llm', tier: 2 },
  { provider: 'qwen', model: 'qwen-flash', service: 'llm', tier: 1 },
  { provider: 'qwen', model: 'qwen-turbo', service: 'llm', tier: 1 },
  { provider: 'openai', model: 'gpt-4o-transcribe', service: 'stt', tier: 4 },
  { provider: 'openai', model: 'gpt-4o-mini-transcribe', service: 'stt', tier: 3 },
  { provider: 'openai', model: 'whisper-1', service: 'stt', tier: 3 },
  { provider: 'mistral', model: 'voxtral-mini-latest', service: 'stt', tier: 3 },
  { provider: 'ibm_watson', model: 'speech-to-text', service: 'stt', tier: 2 },
  { provider: 'openai', model: 'tts-1-hd', service: 'tts', tier: 4 },
  { provider: 'openai', model: 'gpt-4o-mini-tts', service: 'tts', tier: 3 },
  { provider: 'openai', model: 'tts-1', service: 'tts', tier: 3 },
  { provider: 'ibm_watson', model: 'text-to-speech', service: 'tts', tier: 2 },
  { provider: 'openai', model: 'text-embedding-3-large', service: 'embedding', tier: 4 },
  { provider: 'openai', model: 'text-embedding-3-small', service: 'embedding', tier: 3 },
  { provider: 'mistral', model: 'mistral-embed', service: 'embedding', tier: 3 },
  { provider: 'qwen', model: 'text-embedding-v3', service: 'embedding', tier: 3 },
];

/** The models the strategy selector chooses from: the defaults plus the app's own. */
export class ModelRegistry {
  private readonly entries = new Map<string, ModelRegistryEntry>();

  constructor(overrides: readonly ModelRegistryEntry[] = [], options: { includeDefaults?: boolean } = {}) {
    if (options.includeDefaults !== false)
      for (const entry of DEFAULT_MODEL_REGISTRY) this.entries.set(keyOf(entry), entry);
    for (const [index, entry] of validateArray(overrides, 'models').entries())
      this.set(entry as ModelRegistryEntry, `models[${index}]`);
  }

  /** Adds a model or replaces its tier. */
  set(entry: ModelRegistryEntry, field = 'model'): void {
    validatePlainObject(entry, field);
    rejectUnknownKeys(entry, REGISTRY_ENTRY_KEYS, field);
    const tier = validateCount(entry.tier, `${field}.tier`, 4);
    if (tier < 1) throw new ValidationError({ field: `${field}.tier`, message: 'must be 1, 2, 3 or 4' });
    const checked: ModelRegistryEntry = {
      provider: validateId(entry.provider, `${field}.provider`),
      model: validateId(entry.model, `${field}.model`),
      service: validateOneOf(entry.service, `${field}.service`, SERVICE_TYPES),
      tier: tier as QualityTier,
      ...(entry.local !== undefined && validateBoolean(entry.local, `${field}.local`) ? { local: true } : {}),
    };
    this.entries.set(keyOf(checked), checked);
  }

  /** The entry of one model, if the registry has it. */
  find(provider: string, model: string): ModelRegistryEntry | undefined {
    return this.entries.get(`${provider}\u0000${model}`);
  }

  /** Every entry, or those of one service. */
  list(service?: ServiceType): ModelRegistryEntry[] {
    return [...this.entries.values()].filter((entry) => service === undefined || entry.service === service);
  }
}

function keyOf(entry: ModelRegistryEntry): string {
  return `${entry.provider}\u0000${entry.model}`;
}
