// Replacing a method with a wrapper, and undoing it. A wrapper is installed as an own property
// of the object (the driver's prototype is never touched, so other pools of the same driver are
// unaffected) and remembered in a WeakSet, so that a connection handed out again is not wrapped
// twice; the undo puts the object back as it was (deleting the own property when the method came
// from the prototype), unless someone replaced our wrapper in the meantime.
import { type Fn, type Obj, isFn } from './drivers.js';

const WRAPPERS = new WeakSet<Fn>();

export function markWrapper(wrapper: Fn): Fn {
  WRAPPERS.add(wrapper);
  return wrapper;
}

export function isWrapper(value: unknown): boolean {
  return isFn(value) && WRAPPERS.has(value);
}

/** Wraps `object[name]`; returns the undo, or undefined when there is no such method. */
export function wrapMethod(object: Obj, name: string, wrap: (original: Fn) => Fn): (() => void) | undefined {
  const original = object[name];
  if (!isFn(original)) return undefined;
  const own = Object.prototype.hasOwnProperty.call(object, name);
  const wrapper = markWrapper(wrap(original));
  object[name] = wrapper;
  return () => {
    if (object[name] !== wrapper) return;
    if (own) object[name] = original;
    else delete object[name];
  };
}
