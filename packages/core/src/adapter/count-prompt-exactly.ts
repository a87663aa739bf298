/**
 * The exact prompt count of a plan's `countPromptExactly`, or undefined when it fails, answers
 * something that is not a count, or takes longer than `timeoutMs` (its signal is then aborted,
 * so that the request is cancelled): the caller keeps the bound then.
 */
export async function countPromptWithin(
  countPromptExactly: (signal: AbortSignal) => Promise<number>,
  timeoutMs: number,
): Promise<number | undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`the prompt count took more than ${timeoutMs} ms`));
      resolve(undefined);
    }, timeoutMs);
  });
  try {
    // A count that ignores its signal is not waited for past the timeout either.
    const counted = await Promise.race([countPromptExactly(controller.signal), timedOut]);
    return Number.isSafeInteger(counted) && (counted as number) >= 0 ? counted : undefined;
  } catch {
    // The count only makes a hold smaller: any failure leaves the bound.
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
