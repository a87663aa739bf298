#!/usr/bin/env node
import { CLI_USAGE, parseCliArguments } from './cli-arguments.js';
import { startEmulator } from './emulator.js';

async function main(): Promise<void> {
  const options = parseCliArguments(process.argv.slice(2));
  if (options.help) {
    console.log(CLI_USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    latencyMs: options.latencyMs,
  });
  console.log(`tollgate-emulator listening on ${emulator.url}`);
  console.log(`  OpenAI     baseURL:   ${emulator.openaiBaseURL}`);
  console.log(`  Anthropic  baseURL:   ${emulator.anthropicBaseURL}`);
  console.log(`  Mistral    serverURL: ${emulator.mistralServerURL}`);
  console.log(`  Gemini     baseUrl:   ${emulator.geminiBaseURL}`);

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal} received, stopping`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(CLI_USAGE);
  process.exit(1);
});
