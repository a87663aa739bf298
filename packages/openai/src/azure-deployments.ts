import { ValidationError, validateId } from '@tollgate/core';
import type { AdapterRuntime } from '@tollgate/core/adapter';
import { AzureOpenAI } from 'openai';

/** The runtime of a wrapped OpenAI client: the kit's, and the model each request is priced as. */
export interface OpenAIRuntime extends AdapterRuntime {
  /** On Azure OpenAI, the model the request's deployment serves; elsewhere the request's `model`. */
  readonly pricedModel?: (requested: unknown) => string;
}

/** The model a request is priced as: its `model`, or on Azure OpenAI the model of its deployment. */
export function pricedModelOf(runtime: AdapterRuntime, requested: unknown): string {
  const priced = (runtime as OpenAIRuntime).pricedModel;
  return priced === undefined ? String(requested) : priced(requested);
}

/** Whether a client is the SDK's `AzureOpenAI`, whatever its base URL. */
export function isAzureClient(client: object): boolean {
  return client instanceof AzureOpenAI;
}

/** Checks `options.deployments`: deployment names to the catalog's model ids, on an Azure client only. */
export function checkDeployments(
  value: unknown,
  provider: string,
): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError({
      field: 'options.deployments',
      message: "must be an object of deployment names to models, such as { 'my-gpt4o': 'gpt-4o' }",
    });
  if (provider !== 'azure')
    throw new ValidationError({
      field: 'options.deployments',
      message: `maps Azure OpenAI deployments to models, but this client's provider is '${provider}' (an AzureOpenAI client, or provider: 'azure')`,
    });
  const deployments: Record<string, string> = {};
  for (const [name, model] of Object.entries(value)) {
    validateId(name, 'options.deployments key');
    deployments[name] = validateId(model, `options.deployments['${name}']`);
  }
  return deployments;
}

/**
 * How the Azure client picks a request's deployment, then the model it serves: the client's
 * `deployment` option, else a `/deployments/<name>` segment of its base URL, else the request's
 * `model` (the SDK puts it in the path); a deployment not in `deployments` is priced by its own
 * name, so one named after its model needs no entry.
 */
export function deploymentModels(
  client: object,
  deployments: Readonly<Record<string, string>> = {},
): (requested: unknown) => string {
  const { deploymentName, baseURL } = client as { deploymentName?: unknown; baseURL?: unknown };
  const fixed =
    typeof deploymentName === 'string' && deploymentName !== ''
      ? deploymentName
      : deploymentInPath(typeof baseURL === 'string' ? baseURL : '');
  return (requested) => {
    const deployment = fixed ?? String(requested);
    return Object.hasOwn(deployments, deployment) ? deployments[deployment]! : deployment;
  };
}

function deploymentInPath(baseURL: string): string | undefined {
  const match = /\/deployments\/([^/?#]+)/.exec(baseURL);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
