import type { DependencyGuard } from './dependency.guard';

/** Methods that report on or end the store itself, which the breaker must never block. */
const UNGUARDED = new Set<PropertyKey>(['health', 'close']);

/**
 * The same port with every method call run under the dependency's guard: breaker, timeout and
 * metrics. Ports of stores take no signal, so the guard abandons a call that outlives its timeout
 * (the store's own client timeout ends the socket work later).
 */
export function guardPort<T extends object>(port: T, guard: DependencyGuard): T {
  return new Proxy(port, {
    get(target, property) {
      // Read from the target itself, so getters and private fields see the real object.
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (UNGUARDED.has(property)) return method.bind(target);
      return (...args: unknown[]) => guard.run(async () => method.apply(target, args));
    },
  });
}
