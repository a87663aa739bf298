// Deterministic stand-ins for what a helpdesk app sends: long ticket threads, chat
// histories, knowledge-base chunks, replies read aloud and voice notes.

const PRODUCTS = ['kettle', 'blender', 'toaster', 'coffee grinder', 'kitchen scale', 'juicer', 'stand mixer'];
const COMPLAINTS = [
  'stopped working',
  'makes a loud noise',
  'arrived with a cracked lid',
  'trips the breaker',
  'does not heat up',
  'leaks water',
];
const ACTIONS = [
  'asked for a photo of the label',
  'offered a replacement',
  'approved a refund',
  'escalated to the supplier',
  'sent the repair instructions',
  'closed the ticket',
];

function ticketLine(seed: number, line: number): string {
  const index = seed * 7_919 + line;
  const day = String((index % 28) + 1).padStart(2, '0');
  return (
    `On 2026-11-${day} the customer of order ${100_000 + ((index * 7_919) % 900_000)} wrote that the ` +
    `${PRODUCTS[index % PRODUCTS.length]} ${COMPLAINTS[index % COMPLAINTS.length]} after ${(index % 17) + 2} ` +
    `days; agent ${index % 23} ${ACTIONS[(index + 3) % ACTIONS.length]}.`
  );
}

/** A support-ticket history of about `characters` characters (about a quarter as many tokens). */
export function ticketThread(seed: number, characters: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let line = 0; length < characters; line++) {
    const text = ticketLine(seed, line);
    lines.push(text);
    length += text.length + 1;
  }
  return lines.join('\n');
}

/** A customer conversation: alternating turns, the last one from the customer. */
export function chatHistory(seed: number, turns: number): { role: 'user' | 'assistant'; content: string }[] {
  return Array.from({ length: turns }, (_, turn) => ({
    role: (turns - turn) % 2 === 1 ? ('user' as const) : ('assistant' as const),
    content: ticketThread(seed + turn, 900),
  }));
}

export function knowledgeBaseChunks(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, chunk) => ticketThread(seed * 100 + chunk, 1_600));
}

/** A reply to read aloud: text-to-speech is priced per character. */
export function replyToReadAloud(seed: number, characters: number): string {
  return ticketThread(seed, characters).slice(0, characters);
}

/** Bytes of a compressed voice note at 64 kbit/s, the bitrate tollgate assumes for audio of unknown length. */
export function voiceNoteBytes(seconds: number): Uint8Array {
  return new Uint8Array(seconds * 8_000);
}
