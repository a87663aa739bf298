import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverSentEvents } from './server-sent-events';

function bodyOf(chunks: readonly (string | Uint8Array)[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks)
          controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
        controller.close();
      },
    }),
  );
}

async function eventsOf(chunks: readonly (string | Uint8Array)[]): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of serverSentEvents(bodyOf(chunks))) events.push(event);
  return events;
}

describe('serverSentEvents', () => {
  it('reads the JSON data of each event, joining multi-line data and skipping [DONE], comments and other fields', async () => {
    const body = [
      ': keep-alive\n\n',
      'event: message_start\r\ndata: {"type":"message_start"}\r\n\r\n',
      'data: {"a":\ndata: 1}\n\n',
      'id: 7\nretry: 10\n\n',
      'data: [DONE]\n\n',
      'data:{"last":true}',
    ];
    expect(await eventsOf(body)).toEqual([{ type: 'message_start' }, { a: 1 }, { last: true }]);
  });

  it('gives the same events however the body is cut into chunks, even inside a character', async () => {
    const events = [{ type: 'delta', text: 'héllo wörld 🌍' }, { usage: { output_tokens: 12 } }, { n: 3 }];
    const body = new TextEncoder().encode(
      `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), body.length];
          const chunks = points.slice(1).map((end, index) => body.slice(points[index], end));
          expect(await eventsOf(chunks)).toEqual(events);
        },
      ),
    );
  });
});
