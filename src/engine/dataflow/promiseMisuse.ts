import ts from 'typescript';
import { isThenableType } from 'ts-api-utils';
import { calledMethodName, callReceiver } from '../resources/model.js';
import type { OwnershipState } from './state.js';
import { isResource, type OwnershipContext } from './values.js';

/*
 * A connection's method called on the promise of it: `const client = pool.connect()` (no
 * `await`), then `client.query(…)` or `client.release()`. A promise has no such method, so the
 * call throws a TypeError every time — and the connection the promise fulfils with is never
 * released. TypeScript refuses this; JavaScript runs it. transfer.ts asks for every call on a
 * resource still `pending`: such a call has no normal completion, only its exception, so the
 * leak is reported on the path that call opens. A method the promise's type does have (`then`,
 * `catch`, `finally`, or those of a driver's own thenable), or a receiver of no known type, is
 * not this.
 */

export function callsConnectionMethodOnPromise(context: OwnershipContext, call: ts.CallExpression, state: OwnershipState): boolean {
  if (state.status !== 'pending') return false;
  const receiver = callReceiver(call);
  const name = calledMethodName(call);
  if (!receiver || name === undefined || !isResource(context, receiver, state)) return false;
  const type = context.checker.getTypeAtLocation(receiver);
  if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || !isThenableType(context.checker, receiver, type)) return false;
  return context.checker.getPropertyOfType(context.checker.getApparentType(type), name) === undefined;
}
