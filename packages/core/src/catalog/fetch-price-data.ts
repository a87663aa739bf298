/** What bounds one fetch of price data. */
export interface FetchPriceDataOptions {
  /** The whole fetch, body included, is abandoned after this long. */
  readonly timeoutMs: number;
  /** A response body larger than this is abandoned. */
  readonly maxBytes: number;
  /** Abandons the fetch (the budget was closed). */
  readonly signal?: AbortSignal;
}

const ACCEPTED_TYPES = /^(application\/([\w.+-]*\+)?json|text\/plain|application\/octet-stream)\b/i;

/**
 * Fetches a price data file as UTF-8 text: a 200 response of a JSON or plain-text content type
 * (raw.githubusercontent.com serves `text/plain`), within the time-out and the size limit.
 * Throws an `Error` that says why not; an HTML error page is refused by its content type.
 */
export async function fetchPriceData(url: string, options: FetchPriceDataOptions): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no complete answer within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  const stop = () => controller.abort(new Error('the budget was closed'));
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: 'follow',
      headers: { accept: 'application/json, text/plain;q=0.9' },
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status}`);
    }
    const type = response.headers.get('content-type');
    if (type !== null && !ACCEPTED_TYPES.test(type.trim())) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`content type ${type.split(';')[0]} is not JSON`);
    }
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > options.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`${length} bytes is over the limit of ${options.maxBytes}`);
    }
    return await readLimited(response, options.maxBytes);
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof Error)
      throw controller.signal.reason;
    throw error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new Error(`the body is over the limit of ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    if (error instanceof TypeError && /encoded data|decode/i.test(error.message))
      throw new Error('the body is not UTF-8 text');
    throw error;
  }
}
