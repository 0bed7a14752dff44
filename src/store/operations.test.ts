import { describe, expect, expectTypeOf, it } from 'vitest';
import { installOperations, type Operations } from './operations.js';
import type { QueryContext } from './query-context.js';

// Two small concern modules, as a query file exports them.
const greetings = {
  greet: async (ctx: QueryContext, name: string) => `${ctx.caps.dialect}: hello ${name}`,
  /** A row mapper: not a query, not part of the Store type. */
  shout: (text: string) => text.toUpperCase(),
};
const counts = { count: async (ctx: QueryContext) => (ctx.caps.maxParameters > 0 ? 1 : 0) };

function contextClass() {
  return class {
    readonly caps = { dialect: 'sqlite', skipLocked: false, numberFromSequence: false, advisoryLocks: false, maxParameters: 10 } as const;
    declare readonly db: QueryContext['db'];
    transaction<T>(fn: (tx: QueryContext) => Promise<T>): Promise<T> {
      return fn(this as unknown as QueryContext);
    }
  };
}

describe('installOperations', () => {
  it('makes each query a method that runs with the object as its context', async () => {
    const Context = contextClass();
    installOperations(Context.prototype, [greetings, counts], []);
    const ctx = new Context() as unknown as Operations<typeof greetings> & Operations<typeof counts>;
    expect(await ctx.greet('ada')).toBe('sqlite: hello ada');
    expect(await ctx.count()).toBe(1);
    // Installed once on the prototype, not per object.
    expect(Object.keys(new Context())).toEqual(['caps']);
    expect(Object.prototype.hasOwnProperty.call(Context.prototype, 'greet')).toBe(true);
  });

  it('types only the functions that take a query context first as operations, the context bound', () => {
    expectTypeOf<keyof Operations<typeof greetings>>().toEqualTypeOf<'greet'>();
    expectTypeOf<Operations<typeof greetings>['greet']>().toEqualTypeOf<(name: string) => Promise<string>>();
  });

  it('refuses a name exported by two concerns, or one the store has already', () => {
    expect(() => installOperations(contextClass().prototype, [greetings, { greet: greetings.greet }], [])).toThrow(expect.objectContaining({ code: 'STORE_DUPLICATE_OPERATION' }));
    expect(() => installOperations(contextClass().prototype, [{ transaction: counts.count }], [])).toThrow(expect.objectContaining({ code: 'STORE_DUPLICATE_OPERATION' }));
    expect(() => installOperations(contextClass().prototype, [{ db: counts.count }], ['db'])).toThrow(/db is defined twice/);
  });
});
