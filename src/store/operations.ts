import type { QueryContext } from './query-context.js';
import { StoreError } from './store-error.js';

/** A query function: a query context first, then the operation's own arguments. */
type Query = (ctx: QueryContext, ...args: never[]) => unknown;

/**
 * A concern's module as methods: every exported function that takes a query context first, with
 * the context bound (its documentation comes along). Other exports (row mappers, SQL pieces) are
 * left out.
 */
export type Operations<Module> = {
  [K in keyof Module as Module[K] extends Query ? K : never]: Module[K] extends (ctx: QueryContext, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** The operations of several concern modules, as one type. */
export type OperationsOf<Modules extends readonly object[]> = Intersection<{ [I in keyof Modules]: Operations<Modules[I]> }[number]>;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * Gives `prototype` one method per function the modules export: `name(...args)` runs
 * `fn(this, ...args)`, so any object with that prototype that is a query context (the pool, or one
 * transaction's connection) answers them. Installed once, not per object, so a transaction costs
 * no more than it did with hand-written methods. A name exported twice, or one the prototype has
 * already, is refused: one operation, one home.
 */
export function installOperations(prototype: object, modules: readonly object[], reserved: readonly string[]): void {
  const taken = new Set([...Object.getOwnPropertyNames(prototype), ...reserved]);
  for (const module of modules) {
    for (const [name, fn] of Object.entries(module)) {
      if (typeof fn !== 'function') continue;
      if (taken.has(name)) throw new StoreError('STORE_DUPLICATE_OPERATION', `${name} is defined twice; give the query a name of its own`);
      taken.add(name);
      const query = fn as (ctx: QueryContext, ...args: unknown[]) => unknown;
      Object.defineProperty(prototype, name, {
        value: function (this: QueryContext, ...args: unknown[]) {
          return query(this, ...args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
}
