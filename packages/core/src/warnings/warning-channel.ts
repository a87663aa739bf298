import { TollgateWarning, type WarningCode } from './tollgate-warning';

export interface WarningChannelOptions {
  /** Receives each warning once per code and subject. Default: `process.emitWarning` with the code. */
  onWarning?: (warning: TollgateWarning) => void;
  /** Throw the warning instead of reporting it. */
  strict?: boolean;
}

/** One place every warning goes through: deduplicated per code and subject, reported or thrown. */
export class WarningChannel {
  private readonly reported = new Set<string>();
  private readonly onWarning: (warning: TollgateWarning) => void;
  private readonly strict: boolean;

  constructor(options: WarningChannelOptions = {}) {
    this.onWarning = options.onWarning ?? emitProcessWarning;
    this.strict = options.strict ?? false;
  }

  /** In strict mode, throws the warning; otherwise reports it the first time only. */
  warn(code: WarningCode, subject: string, message: string): void {
    if (this.strict) throw new TollgateWarning({ code, subject, message });
    const key = `${code}\u0000${subject}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const warning = new TollgateWarning({ code, subject, message });
    try {
      this.onWarning(warning);
    } catch {
      // A failing listener must not fail the call it warns about.
    }
  }
}

function emitProcessWarning(warning: TollgateWarning): void {
  process.emitWarning(warning.message, { type: warning.name, code: warning.code });
}
