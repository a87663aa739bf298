import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateJsonOfText, templateJsonOfValue } from './mistral-template-json';

describe('templateJson', () => {
  it("writes JSON the way Python's json.dumps does: a space after each comma and colon", () => {
    expect(templateJsonOfText('{"a":1,"b":[true,null,"x, y: z"]}')).toEqual({
      text: '{"a": 1, "b": [true, null, "x, y: z"]}',
      slackTokens: 0,
    });
    expect(templateJsonOfText('{\n  "query": "refund \\"policy\\""\n}').text).toBe(
      '{"query": "refund \\"policy\\""}',
    );
    expect(templateJsonOfValue({ city: 'Lyon', days: 3 }).text).toBe('{"city": "Lyon", "days": 3}');
  });

  it('writes text that is not JSON as a JSON string', () => {
    expect(templateJsonOfText('Rain all day.\n')).toEqual({ text: '"Rain all day.\\n"', slackTokens: 0 });
  });

  it('allows for the longer spelling Python gives a number with an exponent', () => {
    expect(templateJsonOfText('{"x":1e5}').slackTokens).toBeGreaterThanOrEqual(
      '100000.0'.length - '1e5'.length,
    );
    expect(templateJsonOfText('{"e":"1e5"}').slackTokens).toBe(0);
  });

  it('keeps every value: the spaced text parses to the same JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.parse(templateJsonOfText(text).text)).toEqual(JSON.parse(text));
        expect(JSON.parse(templateJsonOfValue(value).text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 97 },
    );
  });
});
