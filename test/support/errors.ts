import { ArgumentError } from '../../ts/index.js';

/** The parameter an `ArgumentError` thrown by `f` names; undefined when `f` does not throw. */
export function argumentError(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ArgumentError) return e.parameter;
    throw e;
  }
  return undefined;
}
