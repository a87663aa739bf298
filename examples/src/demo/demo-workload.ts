import type { BudgetManager } from '@tollgate/core';
import { generateText } from 'ai';
import { EMULATOR_HEADERS } from '@tollgate/emulator';
import { silentWavFile } from '../silent-wav-file';
import type { DemoClients } from './demo-clients';
import {
  chatHistory,
  knowledgeBaseChunks,
  replyToReadAloud,
  ticketThread,
  voiceNoteBytes,
} from './demo-documents';

export interface CallOutcome {
  /** The model that served the call. */
  model: string;
  /** Why this model, when it is not the one the app asked for by default. */
  reason?: string;
  /** Set when the budget shrank the output limit. */
  clamp?: { requested: number; granted: number };
}

/** One call the simulated helpdesk app makes; `route` is also its request type in reports. */
export interface DemoCall {
  route: string;
  userId: string;
  run(): Promise<CallOutcome>;
}

const USERS = ['u-ana', 'u-ben', 'u-chloe', 'u-dev', 'u-emma'];
/** The chat models the app is configured to offer; the strategy selector ranks them. */
const CHAT_MODELS = new Set([
  'gpt-4o',
  'claude-sonnet-4-6',
  'claude-haiku-4-5',
  'gpt-4o-mini',
  'mistral-small-latest',
]);
const REPORT_MAX_TOKENS = 16_000;

// The emulator replies with as many tokens as the request allows (the demo starts it
// with a large default); these headers make some replies stop earlier, as real ones do.
const outputTokens = (count: number) => ({ headers: { [EMULATOR_HEADERS.outputTokens]: String(count) } });
const audioSeconds = (count: number) => ({ headers: { [EMULATOR_HEADERS.audioSeconds]: String(count) } });

/** The calls of one round of the app's traffic: the same mix every round, so every run is the same. */
export function demoRound(round: number, clients: DemoClients, budget: BudgetManager): DemoCall[] {
  const user = (offset: number) => USERS[(round + offset) % USERS.length]!;
  return [
    { route: 'summarize', userId: user(0), run: () => summarizeTicketHistory(clients, round * 2) },
    { route: 'summarize', userId: user(1), run: () => summarizeTicketHistory(clients, round * 2 + 1) },
    { route: 'chat', userId: user(2), run: () => answerCustomer(clients, budget, round) },
    { route: 'draft', userId: user(3), run: () => draftReply(clients, round) },
    { route: 'triage', userId: user(4), run: () => triageTicket(clients, round) },
    { route: 'suggest', userId: user(0), run: () => suggestReplies(clients, round) },
    {
      route: 'transcribe',
      userId: user(4),
      run: () => (round % 2 === 0 ? transcribeWithWhisper(clients) : transcribeWithVoxtral(clients)),
    },
    { route: 'speak', userId: user(0), run: () => readReplyAloud(clients, round) },
    { route: 'embed', userId: user(1), run: () => embedArticles(clients, round) },
    { route: 'report', userId: user(2), run: () => writeWeeklyReport(clients, round * 2) },
    { route: 'report', userId: user(3), run: () => writeWeeklyReport(clients, round * 2 + 1) },
  ];
}

/** A client with `downgrade: true` may have sent the call to a cheaper model than the one asked for. */
function servedBy(requested: string, model: string): CallOutcome {
  return model === requested ? { model } : { model, reason: `downgrade: true, asked for ${requested}` };
}

/** A long-context summary, streamed: about 90,000 tokens in. */
async function summarizeTicketHistory(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const stream = clients.anthropicDowngrading.messages.stream(
    {
      model: 'claude-sonnet-4-6',
      max_tokens: 2_000,
      system: 'Summarize this customer history for the team lead: open issues, refunds, repeat problems.',
      messages: [{ role: 'user', content: ticketThread(seed, 360_000) }],
    },
    outputTokens(1_200),
  );
  const message = await stream.finalMessage();
  return servedBy('claude-sonnet-4-6', message.model);
}

/** The assistant's streamed answer, on the chat model the strategy selector ranks first. */
async function answerCustomer(
  clients: DemoClients,
  budget: BudgetManager,
  seed: number,
): Promise<CallOutcome> {
  const candidates = await budget.select({
    service: 'llm',
    providers: ['openai', 'anthropic', 'mistral'],
    minTier: 2,
    estimatedTokens: { input: 8_000, output: 800 },
  });
  const choice = candidates.find((candidate) => CHAT_MODELS.has(candidate.model))!;
  const messages = chatHistory(seed, 9);
  const options = outputTokens(350);
  if (choice.provider === 'openai') {
    const stream = await clients.openai.chat.completions.create(
      { model: choice.model, max_completion_tokens: 800, messages, stream: true },
      options,
    );
    for await (const _chunk of stream);
  } else if (choice.provider === 'anthropic') {
    const stream = await clients.anthropic.messages.create(
      { model: choice.model, max_tokens: 800, messages, stream: true },
      options,
    );
    for await (const _event of stream);
  } else {
    const stream = await clients.mistral.chat.stream(
      { model: choice.model, maxTokens: 800, messages },
      options,
    );
    for await (const _event of stream);
  }
  return { model: choice.model, reason: `select: ${choice.reason}` };
}

/** A reply drafted from the ticket history and the return policy: about 40,000 tokens in. */
async function draftReply(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const completion = await clients.openaiDowngrading.chat.completions.create(
    {
      model: 'gpt-4o',
      max_completion_tokens: 1_000,
      messages: [
        { role: 'system', content: 'Draft a polite reply that follows the return policy.' },
        { role: 'user', content: ticketThread(seed + 10_000, 160_000) },
      ],
    },
    outputTokens(600),
  );
  return servedBy('gpt-4o', completion.model);
}

/** The new ticket tagged and prioritised by a small, fast model, streamed: about 5,000 tokens in. */
async function triageTicket(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const stream = await clients.gemini.models.generateContentStream({
    model: 'gemini-2.5-flash',
    contents: `Tag this ticket (billing, shipping, product, other) and rate its urgency 1-5:\n${ticketThread(seed + 20_000, 20_000)}`,
    config: { maxOutputTokens: 200, httpOptions: outputTokens(60) },
  });
  for await (const _chunk of stream);
  return { model: 'gemini-2.5-flash' };
}

/** Three short replies for the agent to pick from, through an AI SDK model: about 2,500 tokens in. */
async function suggestReplies(clients: DemoClients, seed: number): Promise<CallOutcome> {
  await generateText({
    model: clients.aiSdkModel,
    system: 'Suggest three short replies the agent could send next.',
    prompt: ticketThread(seed + 30_000, 10_000),
    maxOutputTokens: 300,
    maxRetries: 0,
    ...outputTokens(90),
  });
  return { model: 'gpt-4o-mini' };
}

/** A 90-second voice note from a customer. */
async function transcribeWithWhisper(clients: DemoClients): Promise<CallOutcome> {
  const file = new File([voiceNoteBytes(90)], 'voice-note.mp3', { type: 'audio/mpeg' });
  await clients.openai.audio.transcriptions.create({ model: 'whisper-1', file }, audioSeconds(90));
  return { model: 'whisper-1' };
}

async function transcribeWithVoxtral(clients: DemoClients): Promise<CallOutcome> {
  await clients.mistral.audio.transcriptions.complete(
    { model: 'voxtral-mini-latest', file: { fileName: 'voice-note.wav', content: silentWavFile(90) } },
    audioSeconds(90),
  );
  return { model: 'voxtral-mini-latest' };
}

/** Text-to-speech is priced per character: 3,000 characters on tts-1 is $0.045. */
async function readReplyAloud(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const speech = await clients.openai.audio.speech.create({
    model: 'tts-1',
    voice: 'alloy',
    input: replyToReadAloud(seed, 3_000),
  });
  await speech.arrayBuffer();
  return { model: 'tts-1' };
}

/** Forty knowledge-base chunks for the search index. */
async function embedArticles(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const chunks = knowledgeBaseChunks(seed, 40);
  if (seed % 2 === 0) {
    await clients.openai.embeddings.create({ model: 'text-embedding-3-small', input: chunks });
    return { model: 'text-embedding-3-small' };
  }
  await clients.mistral.embeddings.create({ model: 'mistral-embed', inputs: chunks });
  return { model: 'mistral-embed' };
}

/** A long generated report: the client clamps `max_tokens` to what the budget affords. */
async function writeWeeklyReport(clients: DemoClients, seed: number): Promise<CallOutcome> {
  const message = await clients.anthropicClamping.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: REPORT_MAX_TOKENS,
    messages: [
      {
        role: 'user',
        content: `Write the weekly support report from these notes:\n${ticketThread(seed, 6_000)}`,
      },
    ],
  });
  const granted = message.usage.output_tokens;
  // The reply stopped at its limit below the one asked for: the budget shrank it.
  const clamped = message.stop_reason === 'max_tokens' && granted < REPORT_MAX_TOKENS;
  return { model: message.model, ...(clamped ? { clamp: { requested: REPORT_MAX_TOKENS, granted } } : {}) };
}
