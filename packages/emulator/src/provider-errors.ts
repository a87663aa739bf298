import type { Provider } from './provider.js';

interface ErrorDescription {
  openaiType: string;
  openaiCode: string | null;
  anthropicType: string;
  mistralType: string;
  message: string;
}

const ERRORS: Record<number, ErrorDescription> = {
  400: {
    openaiType: 'invalid_request_error',
    openaiCode: null,
    anthropicType: 'invalid_request_error',
    mistralType: 'invalid_request_error',
    message: 'Invalid request.',
  },
  401: {
    openaiType: 'invalid_request_error',
    openaiCode: 'invalid_api_key',
    anthropicType: 'authentication_error',
    mistralType: 'unauthorized',
    message: 'Incorrect API key provided.',
  },
  403: {
    openaiType: 'invalid_request_error',
    openaiCode: 'unsupported_country_region_territory',
    anthropicType: 'permission_error',
    mistralType: 'forbidden',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: {
    openaiType: 'invalid_request_error',
    openaiCode: 'model_not_found',
    anthropicType: 'not_found_error',
    mistralType: 'not_found',
    message: 'The requested resource was not found.',
  },
  413: {
    openaiType: 'invalid_request_error',
    openaiCode: null,
    anthropicType: 'request_too_large',
    mistralType: 'invalid_request_error',
    message: 'Request exceeds the maximum allowed size.',
  },
  422: {
    openaiType: 'invalid_request_error',
    openaiCode: null,
    anthropicType: 'invalid_request_error',
    mistralType: 'invalid_request_error',
    message: 'Unprocessable request.',
  },
  429: {
    openaiType: 'requests',
    openaiCode: 'rate_limit_exceeded',
    anthropicType: 'rate_limit_error',
    mistralType: 'rate_limited',
    message: 'Rate limit reached. Please try again later.',
  },
  500: {
    openaiType: 'server_error',
    openaiCode: null,
    anthropicType: 'api_error',
    mistralType: 'internal_server_error',
    message: 'The server had an error while processing your request.',
  },
  503: {
    openaiType: 'server_error',
    openaiCode: null,
    anthropicType: 'api_error',
    mistralType: 'service_unavailable',
    message: 'The service is temporarily unavailable.',
  },
  529: {
    openaiType: 'server_error',
    openaiCode: null,
    anthropicType: 'overloaded_error',
    mistralType: 'service_unavailable',
    message: 'Overloaded.',
  },
};

function describe(status: number): ErrorDescription {
  return ERRORS[status] ?? (status >= 500 ? ERRORS[500]! : ERRORS[400]!);
}

export interface ProviderErrorOptions {
  message?: string | undefined;
  param?: string | null | undefined;
  requestId?: string | undefined;
}

/**
 * The error body each provider sends:
 * - OpenAI: `{ error: { message, type, param, code } }`
 * - Anthropic: `{ type: 'error', error: { type, message }, request_id }`
 * - Mistral: `{ object: 'error', message, type, param, code }`
 * - Google (Gemini API): `{ error: { code, message, status } }`
 */
export function providerErrorBody(
  provider: Provider,
  status: number,
  options: ProviderErrorOptions = {},
): unknown {
  const description = describe(status);
  const message = options.message ?? description.message;
  switch (provider) {
    case 'openai':
      return {
        error: {
          message,
          type: description.openaiType,
          param: options.param ?? null,
          code: description.openaiCode,
        },
      };
    case 'anthropic':
      return {
        type: 'error',
        error: { type: description.anthropicType, message },
        ...(options.requestId ? { request_id: options.requestId } : {}),
      };
    case 'mistral':
      return {
        object: 'error',
        message,
        type: description.mistralType,
        param: options.param ?? null,
        code: String(status),
      };
    case 'google':
      return { error: { code: status, message, status: googleStatus(status) } };
  }
}

/** The gRPC status name the Gemini API puts beside an HTTP status. */
function googleStatus(status: number): string {
  if (status === 400 || status === 413 || status === 422) return 'INVALID_ARGUMENT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503 || status === 529) return 'UNAVAILABLE';
  return 'INTERNAL';
}
