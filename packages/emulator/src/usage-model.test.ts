import { describe, expect, it } from 'vitest';
import {
  computeTokenUsage,
  countEmbeddingTokens,
  countPromptTokens,
  countTextTokens,
  defaultUsageSettings,
  extractText,
  resolveAudioSeconds,
  resolveUsageSettings,
  speechSeconds,
  totalInputTokens,
  totalOutputTokens,
  transcriptTokenCount,
} from './usage-model.js';

describe('usage model', () => {
  it('counts ceil(characters / 4) per text', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('abcd')).toBe(1);
    expect(countTextTokens('abcde')).toBe(2);
  });

  it('counts prompt tokens as ceil(all message characters / 4) + 4 per message', () => {
    expect(countPromptTokens({ messages: [] })).toBe(0);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'abcde' }] })).toBe(2 + 4);
    expect(
      countPromptTokens({
        messages: [
          { role: 'user', content: 'abc' },
          { role: 'assistant', content: 'de' },
        ],
      }),
    ).toBe(2 + 8);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'abcd' }], system: 'abcd' })).toBe(2 + 8);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'abcd' }], system: '' })).toBe(1 + 4);
  });

  it('extracts text from content parts, tool calls and tool inputs but not from images', () => {
    expect(
      extractText({
        role: 'user',
        content: [
          { type: 'text', text: 'ab' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'tool_use', id: 't', name: 'f', input: { x: 1 } },
        ],
        tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
      }),
    ).toBe('ab{"x":1}{}');
  });

  it('computes output as min(limit, default) unless the output count is set', () => {
    const settings = defaultUsageSettings();
    expect(computeTokenUsage({ promptTokens: 10 }, settings)).toMatchObject({
      inputTokens: 10,
      outputTokens: 64,
      truncated: false,
      reasoningTokens: 0,
    });
    expect(computeTokenUsage({ promptTokens: 10, outputLimit: 8 }, settings)).toMatchObject({
      outputTokens: 8,
      truncated: true,
    });
    expect(
      computeTokenUsage({ promptTokens: 10, outputLimit: 8 }, { ...settings, outputTokens: 20 }),
    ).toMatchObject({ outputTokens: 20, truncated: false });
  });

  it('adds cache and reasoning components on top of the computed tokens', () => {
    const usage = computeTokenUsage(
      { promptTokens: 10, reasoningRequested: true, reasoningLimit: 20 },
      { ...defaultUsageSettings(), cachedTokens: 100, cacheWriteTokens: 5, cacheWrite1hTokens: 1 },
    );
    expect(usage).toMatchObject({ inputTokens: 10, cachedTokens: 100, reasoningTokens: 20 });
    expect(totalInputTokens(usage)).toBe(116);
    expect(totalOutputTokens(usage)).toBe(84);
    expect(
      computeTokenUsage({ promptTokens: 1, reasoningRequested: true }, defaultUsageSettings())
        .reasoningTokens,
    ).toBe(32);
  });

  it('reads usage headers over the emulator settings and rejects malformed ones', () => {
    const resolved = resolveUsageSettings(
      { ...defaultUsageSettings(), cachedTokens: 1 },
      { 'x-emulator-cached-tokens': '7', 'x-emulator-audio-seconds': '2.5', 'x-emulator-input-tokens': '3' },
    );
    expect(resolved).toMatchObject({ cachedTokens: 7, audioSeconds: 2.5, inputTokens: 3 });
    expect(() => resolveUsageSettings(defaultUsageSettings(), { 'x-emulator-output-tokens': '1.5' })).toThrow(
      /x-emulator-output-tokens/,
    );
  });

  it('counts embedding inputs per string or token array', () => {
    expect(countEmbeddingTokens('abcdefgh')).toBe(2);
    expect(countEmbeddingTokens(['abcd', 'abcde'])).toBe(3);
    expect(countEmbeddingTokens([1, 2, 3])).toBe(3);
    expect(countEmbeddingTokens([[1, 2], [3]])).toBe(3);
  });

  it('derives audio seconds, transcript tokens and speech length', () => {
    const settings = defaultUsageSettings();
    expect(resolveAudioSeconds(0, settings)).toBe(1);
    expect(resolveAudioSeconds(16_001, settings)).toBe(2);
    expect(resolveAudioSeconds(0, { ...settings, audioSeconds: 4.2 })).toBe(5);
    expect(transcriptTokenCount(5, settings)).toBe(10);
    expect(transcriptTokenCount(5, { ...settings, outputTokens: 3 })).toBe(3);
    expect(speechSeconds('x'.repeat(16))).toBe(2);
  });
});
