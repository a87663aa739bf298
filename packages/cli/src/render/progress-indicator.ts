import type { OutputStream } from '../cli-io';

export interface ProgressIndicator {
  /** Shows what is being done now, as step `index` of `total`. */
  step(label: string, index: number, total: number): void;
  /** Clears the line. Idempotent. */
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

export const SILENT_PROGRESS: ProgressIndicator = { step() {}, done() {} };

/**
 * A one-line spinner on stderr while a report is read, only when stderr is a terminal:
 * piped or captured output never gets control characters.
 */
export function createProgressIndicator(stream: OutputStream): ProgressIndicator {
  if (stream.isTTY !== true) return SILENT_PROGRESS;
  let frame = 0;
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    stream.write(`\r\u001b[2K${FRAMES[frame % FRAMES.length]} ${text}`);
    frame++;
  };
  return {
    step(label, index, total) {
      text = `${label} (${index}/${total})`;
      draw();
      if (!timer) {
        timer = setInterval(draw, FRAME_MS);
        // The spinner never keeps the process alive on its own.
        timer.unref();
      }
    },
    done() {
      if (timer) clearInterval(timer);
      if (text) stream.write('\r\u001b[2K');
      timer = undefined;
      text = '';
    },
  };
}
