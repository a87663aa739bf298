#!/usr/bin/env node
import { version } from '../package.json';
import { CLI_USAGE, type CliArguments, parseCliArguments } from './cli-arguments.js';
import { startEmulator } from './emulator.js';
import { listenErrorMessage } from './listen-error.js';

function argumentsOrExit(): CliArguments {
  try {
    return parseCliArguments(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(CLI_USAGE);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const options = argumentsOrExit();
  if (options.action === 'help') {
    console.log(CLI_USAGE);
    return;
  }
  if (options.action === 'version') {
    console.log(version);
    return;
  }
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    latencyMs: options.latencyMs,
  }).catch((error: unknown) => {
    console.error(listenErrorMessage(error, options.port, options.host));
    process.exit(1);
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
  console.error(`tollgate-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
