export {
  ADAPTER_OPTION_KEYS,
  type AdapterDefaults,
  type AdapterOptions,
  optionOneOf,
  optionPositiveInteger,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from './adapter/adapter-options';
export { type AdapterRuntime, callContext, checkBudget } from './adapter/adapter-runtime';
export { admitCall } from './adapter/admit-call';
export {
  AdmittedCall,
  type ReceivedOutput,
  type SettleDetails,
  type UsageFallback,
} from './adapter/admitted-call';
export {
  BENCH_PROMPT,
  type BenchOptions,
  type BenchRow,
  type BenchScenario,
  benchWrappedVersusBare,
  readToEnd,
} from './adapter/bench-wrapped-versus-bare';
export {
  type BudgetedPromiseClass,
  budgetedPromiseClass,
  type SdkPromise,
  type SdkPromiseClass,
} from './adapter/budgeted-promise';
export type { CallPlan, CallPlanner, PlannedGate } from './adapter/call-plan';
export { isObservableStream, type ObserveStreamOptions, observeStream } from './adapter/observe-stream';
export { type AudioUpload, measureAudioUpload } from './adapter/measure-audio-upload';
export { type NearLimitCall, nearLimitWorkload } from './adapter/near-limit-workload';
export {
  type MethodWrapper,
  type ProxyClientOptions,
  proxyClient,
  type ResourcePlan,
} from './adapter/proxy-client';
export {
  DEFAULT_COUNT_TIMEOUT_MS,
  type EstimateWith,
  PROMPT_COUNTING_OPTION_KEYS,
  type PromptCounting,
  type PromptCountingOptions,
  resolvePromptCounting,
} from './adapter/prompt-counting';
export { countPromptWithin } from './adapter/count-prompt-exactly';
export { gatePlan } from './adapter/gate-plan';
export { requestWith } from './adapter/request-with';
export { gatedApiMethod, runGatedApiCall } from './adapter/run-gated-api-call';
export { finishCall, gatedMethod, runGatedCall, type SdkMethod } from './adapter/run-gated-call';
export {
  apiPromiseAfter,
  responsePropsOf,
  type SdkPromiseKind,
  type SentRequest,
} from './adapter/sent-request';
export { serverSentEvents } from './adapter/server-sent-events';
export { checkSdkClient, type SdkName, sdkOf } from './adapter/sdk-client';
export { settleFromRawResponse } from './adapter/settle-from-raw-response';
export { recoverFromSettleError } from './adapter/recover-from-settle-error';
export { settleInBackground } from './adapter/settle-in-background';
export { StreamedOutput } from './adapter/streamed-output';
export { type StreamEnding, type StreamObserver, StreamSettlement } from './adapter/stream-observer';
export { StreamUsageReports } from './adapter/stream-usage-reports';
export { UntrustedUsageError } from './adapter/untrusted-usage-error';
export {
  DEFAULT_CONTEXT_BOUND,
  readUsageBlock,
  UsageBlockReader,
  type UsageBlockFields,
  type UsageLimits,
} from './adapter/usage-block-reader';
export {
  contextWindowOf,
  implausibility,
  judgeUsage,
  LONG_CONTEXT_WINDOW,
  MAX_RAW_USAGE_LENGTH,
  rawUsageText,
  type UsageConverter,
  type UsageVerdict,
} from './adapter/usage-trust';
