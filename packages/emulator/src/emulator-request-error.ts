/**
 * A request the emulator refuses, rendered as the addressed provider's error body
 * with this status.
 */
export class EmulatorRequestError extends Error {
  readonly status: number;
  readonly param: string | null;

  constructor(status: number, message: string, param: string | null = null) {
    super(message);
    this.name = 'EmulatorRequestError';
    this.status = status;
    this.param = param;
  }
}
