import { describe, expect, it } from 'vitest';
import { chatPrompt, completionChunkText, completionResponseText, fimPrompt } from './mistral-prompt';

// The model settings v15 templates write in every request, at the longest default effort.
const SETTINGS = '{"reasoning_effort": "minimal"}';

describe('chatPrompt', () => {
  it('collects message text, content chunks, tool calls and tools, with framing overhead', () => {
    const prompt = chatPrompt({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in' },
            { type: 'image_url', imageUrl: 'https://x/y.png' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ function: { name: 'lookup', arguments: { id: 7 } } }],
        },
        { role: 'tool', name: 'lookup', content: '{"found":true}' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }],
    });
    expect(prompt.texts).toEqual([
      SETTINGS,
      'Be brief.',
      'What is in',
      '[{"name": "lookup", "arguments": {"id": 7}}]',
      'lookup',
      '{"content": {"found": true}, "call_id": ""}',
      '[{"type": "function", "function": {"name": "lookup", "description": "", "parameters": {}}}]',
    ]);
    // <s>; model settings 2 + 1; system 2 + 1; user 2 + an image; assistant </s> +
    // [TOOL_CALLS] + 3 for the call; tool result 3; the tool list 2.
    expect(prompt.overheadTokens).toBe(1 + 3 + 3 + 2 + 4_160 + 1 + 1 + 3 + 3 + 2);
  });

  it('adds the safety prompt the API puts first when safePrompt is set', () => {
    const plain = chatPrompt({ messages: [{ role: 'user', content: 'Hi' }] });
    const safe = chatPrompt({ messages: [{ role: 'user', content: 'Hi' }], safePrompt: true });
    expect(safe.texts).toHaveLength(plain.texts.length + 1);
    expect(safe.texts[0]).toMatch(/^Always assist with care/);
    expect(safe.overheadTokens).toBe(plain.overheadTokens + 3);
  });

  it('adds the model settings, with the longest effort when the request names none, and the reasoning system prompt', () => {
    const plain = chatPrompt({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(plain.texts).toContain('{"reasoning_effort": "minimal"}');
    const effort = chatPrompt({ messages: [{ role: 'user', content: 'Hi' }], reasoningEffort: 'high' });
    expect(effort.texts).toContain('{"reasoning_effort": "high"}');
    expect(effort.texts).not.toContain('{"reasoning_effort": "minimal"}');
    expect(effort.overheadTokens).toBe(plain.overheadTokens);
    const reasoning = chatPrompt({ messages: [{ role: 'user', content: 'Hi' }], promptMode: 'reasoning' });
    expect(reasoning.texts).toEqual(plain.texts);
    expect(reasoning.overheadTokens).toBe(plain.overheadTokens + 512 + 3);
  });

  it('writes a tool result that is not JSON as a JSON string, as the template does', () => {
    const prompt = chatPrompt({
      messages: [{ role: 'tool', toolCallId: 'abc123def', content: 'Rain.\n"Strong" wind.' }],
    });
    expect(prompt.texts).toEqual([
      SETTINGS,
      '{"content": "Rain.\\n\\"Strong\\" wind.", "call_id": "abc123def"}',
    ]);
  });

  it('counts a plain JSON response format but not a Zod schema', () => {
    const format = { type: 'json_schema', jsonSchema: { name: 'x', schemaDefinition: {} } };
    expect(chatPrompt({ messages: [], responseFormat: format }).texts).toEqual([
      SETTINGS,
      JSON.stringify(format),
    ]);
    expect(chatPrompt({ messages: [], responseFormat: { _zod: {}, parse() {} } }).texts).toEqual([SETTINGS]);
  });

  it('includes thinking chunks', () => {
    const prompt = chatPrompt({
      messages: [
        { role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }] },
      ],
    });
    expect(prompt.texts).toEqual([SETTINGS, 'hmm']);
  });
});

describe('fimPrompt', () => {
  it('counts prompt and suffix', () => {
    expect(fimPrompt({ prompt: 'def f(', suffix: 'return x' }).texts).toEqual(['def f(', 'return x']);
    expect(fimPrompt({ prompt: 'x', suffix: null }).texts).toEqual(['x']);
  });
});

describe('generated text', () => {
  it('reads the deltas of a stream chunk, tool-call arguments included', () => {
    const chunk = {
      choices: [
        { index: 0, delta: { content: 'Hello' } },
        { index: 1, delta: { content: [{ type: 'text', text: ' there' }] } },
        { index: 2, delta: { toolCalls: [{ function: { name: '', arguments: '{"a":' } }] } },
      ],
    };
    expect(completionChunkText(chunk)).toBe('Hello there{"a":');
    expect(completionChunkText({})).toBe('');
  });

  it('reads the messages of a response', () => {
    expect(completionResponseText({ choices: [{ message: { content: 'Done.' } }, { message: null }] })).toBe(
      'Done.',
    );
  });
});
