// Mistral speech-to-text: the gate reserves the exact length read from the WAV header,
// Mistral bills the audio seconds it reports, per minute ($0.003 a minute on Voxtral Mini).
import { createBudget, formatUsd } from '@tollgate/core';
import { wrapMistral } from '@tollgate/mistral';
import { mistralClient } from './provider-clients';
import { run } from './run';
import { silentWavFile } from './silent-wav-file';

const SECONDS = 95;

run(async (context) => {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  context.onClose(() => budget.close());
  const { client, emulator } = await mistralClient(context);
  const mistral = wrapMistral(client, budget, { requestType: 'voicemail' });
  // The emulator sizes audio at 128 kbit/s; tell it the recording's real length.
  if (emulator) emulator.usage.audioSeconds = SECONDS;

  const recording = silentWavFile(SECONDS);
  const worstCase = budget.estimate({
    provider: 'mistral',
    model: 'voxtral-mini-latest',
    service: 'stt',
    audioSeconds: SECONDS,
  });
  console.log(`a ${SECONDS}-second voicemail: the gate reserves ${formatUsd(worstCase.costNano)}`);

  const transcription = await budget.withContext({ userId: 'u-42' }, () =>
    mistral.audio.transcriptions.complete({
      model: 'voxtral-mini-latest',
      file: { fileName: 'voicemail.wav', content: recording },
    }),
  );
  console.log(`transcript: ${transcription.text.slice(0, 80)}…`);
  console.log(`billed: ${transcription.usage.promptAudioSeconds} seconds of audio`);

  const [status] = await budget.status();
  console.log(
    `recorded: ${formatUsd(status!.usedNano)} (budget ${status!.alertLevel}, ${formatUsd(status!.remainingNano)} left)`,
  );
});
