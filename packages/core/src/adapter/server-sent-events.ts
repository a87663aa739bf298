/**
 * The JSON data of each event of a server-sent events body (`text/event-stream`), in order.
 * The `data:` lines of one event are joined by newlines; data that is not JSON (OpenAI's
 * closing `[DONE]`) and events without data are skipped.
 */
export async function* serverSentEvents(response: Response): AsyncGenerator<unknown> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.endsWith('\r', newline) ? buffer.slice(0, newline - 1) : buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        const event = parseData(data);
        data = [];
        if (event !== undefined) yield event;
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = buffer.indexOf('\n');
    }
  }
  // A last event that the body does not close with a blank line.
  if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
  const last = parseData(data);
  if (last !== undefined) yield last;
}

function parseData(lines: readonly string[]): unknown {
  if (lines.length === 0) return undefined;
  try {
    return JSON.parse(lines.join('\n'));
  } catch {
    return undefined;
  }
}
