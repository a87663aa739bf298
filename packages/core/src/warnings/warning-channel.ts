import { TollgateWarning, type WarningCode } from './tollgate-warning';

export interface WarningChannelOptions {
  /** Receives each warning once per code and subject. Default: `process.emitWarning` with the code. */
  onWarning?: (warning: TollgateWarning) => void;
  /** Throw the warning instead of reporting it. */
  strict?: boolean;
}

/**
 * One place every warning of a budget goes through. `warn` is for what the app most likely
 * did not mean (deduplicated per code and subject, thrown when strict); `report` is for a
 * failure no caller can receive (delivered every time, never thrown).
 */
export class WarningChannel {
  private readonly reported = new Set<string>();
  private readonly onWarning: (warning: TollgateWarning) => void;
  readonly strict: boolean;

  constructor(options: WarningChannelOptions = {}) {
    this.onWarning = options.onWarning ?? emitProcessWarning;
    this.strict = options.strict ?? false;
  }

  /**
   * In strict mode, throws the warning; otherwise reports it the first time only. The message
   * may be a function, called only when the warning is raised.
   */
  warn(code: WarningCode, subject: string, message: string | (() => string)): void {
    if (this.strict) throw new TollgateWarning({ code, subject, message: textOf(message) });
    const key = `${code}\u0000${subject}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.deliver(new TollgateWarning({ code, subject, message: textOf(message) }));
  }

  /** Reports the warning every time, strict or not: there is no caller to throw it to. */
  report(code: WarningCode, subject: string, message: string, cause?: unknown): void {
    this.deliver(new TollgateWarning({ code, subject, message, cause }));
  }

  private deliver(warning: TollgateWarning): void {
    try {
      this.onWarning(warning);
    } catch {
      // A failing listener must not fail the call it warns about.
    }
  }
}

function textOf(message: string | (() => string)): string {
  return typeof message === 'string' ? message : message();
}

function emitProcessWarning(warning: TollgateWarning): void {
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(warning.message, { type: warning.name, code: warning.code });
  } else {
    console.warn(`${warning.name} [${warning.code}]: ${warning.message}`);
  }
}
