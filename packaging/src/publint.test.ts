import { readFile } from 'node:fs/promises';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';

const { packed } = inject('packaging');

describe('publint', () => {
  it.each(packed.map((entry) => [entry.name, entry.tarball]))(
    '%s: no errors, no warnings',
    async (_, tarball) => {
      const data = await readFile(tarball);
      const { messages, pkg } = await publint({
        // The tarball itself: what npm would install, not the workspace folder.
        pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
        level: 'warning',
      });
      expect(
        messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`),
      ).toEqual([]);
    },
  );
});
