import type { IncomingHttpHeaders } from 'node:http';
import { EmulatorRequestError } from './emulator-request-error.js';

/**
 * Request headers that steer the emulator for one request. They take precedence over
 * `emulator.usage` and `emulator.faults`; SDK users set them with `defaultHeaders`
 * or per-request header options.
 */
export const EMULATOR_HEADERS = {
  inputTokens: 'x-emulator-input-tokens',
  outputTokens: 'x-emulator-output-tokens',
  cachedTokens: 'x-emulator-cached-tokens',
  cacheWriteTokens: 'x-emulator-cache-write-tokens',
  cacheWrite1hTokens: 'x-emulator-cache-write-1h-tokens',
  reasoningTokens: 'x-emulator-reasoning-tokens',
  audioSeconds: 'x-emulator-audio-seconds',
  webSearchRequests: 'x-emulator-web-search-requests',
  usageJson: 'x-emulator-usage-json',
  startUsageJson: 'x-emulator-start-usage-json',
  earlyUsageJson: 'x-emulator-early-usage-json',
  lateUsageJson: 'x-emulator-late-usage-json',
  latencyMs: 'x-emulator-latency-ms',
  chunkDelayMs: 'x-emulator-chunk-delay-ms',
  errorStatus: 'x-emulator-error-status',
  errorMessage: 'x-emulator-error-message',
  dropAfterChunks: 'x-emulator-drop-after-chunks',
  stallAfterChunks: 'x-emulator-stall-after-chunks',
  omitUsage: 'x-emulator-omit-usage',
} as const;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** A non-negative integer header, or undefined when absent; a malformed value is a 400. */
export function readCountHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const text = headerValue(headers, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new EmulatorRequestError(400, `Header ${name} must be a non-negative integer, got '${text}'.`);
  }
  return Number(text);
}

/** A non-negative number header (fractions allowed), or undefined when absent. */
export function readNumberHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const text = headerValue(headers, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new EmulatorRequestError(400, `Header ${name} must be a non-negative number, got '${text}'.`);
  }
  return value;
}

export function readBooleanHeader(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const text = headerValue(headers, name)?.toLowerCase();
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new EmulatorRequestError(400, `Header ${name} must be true or false, got '${text}'.`);
}

export function readTextHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  return headerValue(headers, name);
}
