/** The registry key of a class's marker: the same symbol in every copy of every package. */
function markerOf(errorName: string): symbol {
  return Symbol.for(`multi-context.error.${errorName}`);
}

/** A class of {@link MultiContextError}, as its static `isInstance` sees it. */
export type MultiContextErrorClass<T extends MultiContextError> = (abstract new (
  ...args: never[]
) => T) & { readonly errorName: string };

/**
 * The base of every error of multi-context. Each class names itself once, in
 * a static `errorName`; every instance then carries the `Symbol.for` marker of
 * its class and of each class above it, so `SomeError.isInstance(error)`
 * recognises an error made by any copy of the package that defines it (where
 * `instanceof` fails: two installed versions, or a bundled copy).
 *
 * ```ts
 * export class JournalReadError extends MultiContextError {
 *   static override errorName = 'JournalReadError';
 *   constructor(readonly path: string, message: string) {
 *     super(message);
 *   }
 * }
 * JournalReadError.isInstance(error); // error is JournalReadError
 * ```
 *
 * `name` defaults to `errorName`; a class may set another after `super()`.
 */
export class MultiContextError extends Error {
  /**
   * The class's own name for its marker: unique among multi-context errors and
   * never changed once published (it is how other copies recognise it). Every
   * subclass declares its own.
   */
  static errorName = 'MultiContextError';

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    const marks = this as unknown as Record<symbol, true>;
    // new.target and every class between it and this base: a subclass's errors are its parents' too.
    for (
      let type: typeof MultiContextError = new.target;
      type !== MultiContextError;
      type = Object.getPrototypeOf(type)
    ) {
      if (Object.hasOwn(type, 'errorName')) marks[markerOf(type.errorName)] = true;
    }
    marks[markerOf(MultiContextError.errorName)] = true;
    this.name = new.target.errorName;
  }

  /**
   * Whether `error` is an instance of this class (or a subclass of it) from
   * any copy of the package that defines it.
   */
  declare static isInstance: <T extends MultiContextError>(
    this: MultiContextErrorClass<T>,
    error: unknown,
  ) => error is T;
}

/** Each class's check, made once: `isInstance` read from a class gives that class's check. */
const checks = new WeakMap<object, (error: unknown) => boolean>();

// `isInstance` works unbound too (`errors.filter(ProviderError.isInstance)`): reading it from a
// class gives a function that already knows the class, instead of one that needs its `this`.
Object.defineProperty(MultiContextError, 'isInstance', {
  configurable: true,
  get(this: { readonly errorName: string }) {
    let check = checks.get(this);
    if (check === undefined) {
      const marker = markerOf(this.errorName);
      check = (error: unknown) => typeof error === 'object' && error !== null && marker in error;
      checks.set(this, check);
    }
    return check;
  },
});
