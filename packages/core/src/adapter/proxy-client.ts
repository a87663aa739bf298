import { ValidationError } from '../index';

/**
 * Replaces one SDK method: gets the original method, the real object it belongs to and the
 * proxy the caller holds, and returns what the caller calls instead.
 */
export type MethodWrapper = (original: Function, resource: object, proxy: object) => Function;

/** Which methods and nested resources of one SDK object the wrapper replaces. */
export interface ResourcePlan {
  readonly methods?: Readonly<Record<string, MethodWrapper>>;
  readonly resources?: Readonly<Record<string, ResourcePlan>>;
  /**
   * Methods that run with the proxy as `this` (`'all'`: every method): SDK helpers that call a
   * replaced method through `this`, so that their requests are gated too. Every other method is
   * bound to the real object, whose private fields it may need.
   */
  readonly helpers?: readonly string[] | 'all';
}

/** Which methods of a wrapped client return derived clients, and how to wrap those. */
export interface ProxyClientOptions<Client> {
  /** Methods of the client that return a derived client (`withOptions`): the derived client is wrapped too. */
  readonly derive?: readonly string[];
  /** Wraps a derived client under the same budget. */
  readonly wrap?: (client: Client) => Client;
}

const WRAPPED = Symbol.for('tollgate.wrapped');
const EMPTY_PLAN: ResourcePlan = {};

/**
 * The client under a `Proxy`, with the same type and the same values, whose planned methods are
 * replaced. Objects of the SDK whose `_client` is this client (its resources) read `_client` as
 * the wrapped client, which is what makes the SDK's own helpers go through the gate without
 * being re-implemented. `wrapped.a.b === wrapped.a.b`, as on the client. Wrapping a wrapped
 * client throws: every call would be counted twice.
 */
export function proxyClient<Client extends object>(
  client: Client,
  plan: ResourcePlan,
  options: ProxyClientOptions<Client> = {},
): Client {
  if ((client as Record<symbol, unknown>)[WRAPPED] === true) {
    throw new ValidationError({
      field: 'client',
      message: 'is already wrapped: wrapping it twice would count every call twice',
    });
  }
  const proxies = new WeakMap<object, object>();
  let wrapped: Client;

  const proxyOf = (target: object, resourcePlan: ResourcePlan, isClient: boolean): object => {
    const existing = proxies.get(target);
    if (existing) return existing;
    const replaced = new Map<Function, Function>();
    const bound = new WeakMap<Function, Function>();
    const helpers = resourcePlan.helpers;
    const proxy: object = new Proxy(target, {
      get(object, property) {
        if (isClient && property === WRAPPED) return true;
        const value: unknown = Reflect.get(object, property, object);
        if (typeof property !== 'string')
          return typeof value === 'function' ? bindOnce(value, object) : value;
        if (property === '_client' && value === client) return wrapped;
        if (typeof value === 'object' && value !== null) {
          const nested = resourcePlan.resources?.[property];
          if (nested) return proxyOf(value, nested, false);
          if ((value as { _client?: unknown })._client === client) return proxyOf(value, EMPTY_PLAN, false);
          return value;
        }
        if (typeof value !== 'function' || property === 'constructor') return value;
        const wrapper = resourcePlan.methods?.[property];
        if (wrapper) {
          let method = replaced.get(value);
          if (!method) replaced.set(value, (method = wrapper(value, object, proxy)));
          return method;
        }
        if (isClient && options.derive?.includes(property) && options.wrap) {
          const wrap = options.wrap;
          return (...args: unknown[]) => wrap(value.apply(object, args));
        }
        if (helpers === 'all' || helpers?.includes(property)) return value;
        return bindOnce(value, object);
      },
    });
    proxies.set(target, proxy);
    return proxy;

    function bindOnce(method: Function, object: object): Function {
      let result = bound.get(method);
      if (!result) {
        result = method.bind(object) as Function;
        bound.set(method, result);
      }
      return result;
    }
  };

  wrapped = proxyOf(client, plan, true) as Client;
  return wrapped;
}
