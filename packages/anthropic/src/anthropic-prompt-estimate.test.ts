import { describe, expect, it } from 'vitest';
import { cacheWritePremium } from './anthropic-cache-write-premium';
import {
  estimateAnthropicPrompt,
  IMAGE_TOKENS,
  MESSAGE_FRAMING_TOKENS,
  PDF_PAGE_TOKENS,
  pdfPageCount,
  TOOL_USE_SYSTEM_PROMPT_TOKENS,
} from './anthropic-prompt-estimate';

describe('estimateAnthropicPrompt', () => {
  it('counts the system prompt, message text blocks and tool definitions as JSON', () => {
    const tools = [
      { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' } },
    ];
    const estimate = estimateAnthropicPrompt({
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'c2lnbmF0dXJl' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '21°C' }] },
          ],
        },
      ],
      tools,
    });
    expect(estimate.texts).toEqual([
      'You are terse.',
      'Weather in Paris?',
      'Use the tool.',
      'get_weather',
      '{"city":"Paris"}',
      '21°C',
      JSON.stringify(tools),
    ]);
    expect(estimate.overheadTokens).toBe(4 * MESSAGE_FRAMING_TOKENS + TOOL_USE_SYSTEM_PROMPT_TOKENS);
  });

  it('allows a fixed number of tokens for images and PDF pages, and counts text documents', () => {
    const pdf = Buffer.from(
      '%PDF-1.4 1 0 obj <</Type /Pages>> 2 0 obj <</Type /Page>> 3 0 obj <</Type/Page>>',
    ).toString('base64');
    const estimate = estimateAnthropicPrompt({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf } },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'plain text document' },
            },
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
          ],
        },
      ],
    });
    expect(estimate.texts).toEqual(['plain text document']);
    expect(estimate.overheadTokens).toBe(
      MESSAGE_FRAMING_TOKENS + IMAGE_TOKENS + 2 * PDF_PAGE_TOKENS + PDF_PAGE_TOKENS,
    );
  });

  it('never counts base64 data of an image as text', () => {
    const data = 'A'.repeat(100_000);
    const estimate = estimateAnthropicPrompt({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [{ type: 'image', source: { type: 'base64', data } }],
            },
          ],
        },
      ],
    });
    expect(estimate.texts.join('')).not.toContain(data);
  });

  it('counts the text fields of blocks it does not know, encrypted search results included', () => {
    const estimate = estimateAnthropicPrompt({
      messages: [
        {
          role: 'assistant',
          content: [
            {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_1',
              content: [
                {
                  type: 'web_search_result',
                  title: 'Title',
                  url: 'https://example.com',
                  encrypted_content: 'ZW5j',
                },
              ],
            },
          ],
        },
      ],
    });
    expect(estimate.texts).toEqual(['Title', 'https://example.com', 'ZW5j']);
  });
});

describe('pdfPageCount', () => {
  it('counts page objects, and one page when they are compressed', () => {
    expect(
      pdfPageCount(Buffer.from('<</Type /Page>> <</Type /Page >> <</Type /Pages>>').toString('base64')),
    ).toBe(2);
    expect(pdfPageCount(Buffer.from('compressed').toString('base64'))).toBe(1);
  });
});

describe('cacheWritePremium', () => {
  it('is 0 without caching, 25% for 5-minute writes and 100% for 1-hour writes', () => {
    expect(cacheWritePremium({ messages: [{ role: 'user', content: 'hi' }] })).toBe(0);
    expect(
      cacheWritePremium({
        system: [{ type: 'text', text: 'long', cache_control: { type: 'ephemeral' } }],
        messages: [],
      }),
    ).toBe(0.25);
    expect(
      cacheWritePremium({
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '1h' } }],
          },
        ],
        tools: [{ name: 't', cache_control: { type: 'ephemeral' } }],
      }),
    ).toBe(1);
    expect(cacheWritePremium({ cache_control: { type: 'ephemeral' }, messages: [] })).toBe(0.25);
  });
});
