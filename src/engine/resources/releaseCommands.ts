/**
 * Release commands: releases that only build a command, which runs when a named method of it is
 * called (a definition's `releaseRunBy`). Kysely's `trx.commit()` and `trx.rollback()` return a
 * `Command` that sends nothing until `.execute()`: `await trx.commit().execute()` gives the
 * connection back, a bare `await trx.commit()` does not (it awaits the command object, which is no
 * promise). So for such a resource the release is the call of the run method on the built command,
 * the call that builds it is neither a release nor a way to throw (it only wraps a closure), and a
 * fix writes the pair. Syntax only, as `releaseCallsOf` is: callers check what the receiver is.
 */
import ts from 'typescript';
import { skipOuterExpressions } from '../ast.js';
import type { ResourceDefinition } from './definition.js';
import { calledMethodName, callReceiver } from './model.js';

/**
 * The call a release reads its receiver and arguments from: the call itself, or — for a resource
 * whose releases are commands — the command-building call that `call` runs (`trx.commit()` in
 * `trx.commit().execute()`). Undefined when `call` is no such run of a command.
 */
export function releaseOperationOf(call: ts.CallExpression, resource: ResourceDefinition): ts.CallExpression | undefined {
  const run = resource.releaseRunBy;
  if (run === undefined) return call;
  if (calledMethodName(call) !== run || call.arguments.length > 0) return undefined;
  const receiver = callReceiver(call);
  const built = receiver && skipOuterExpressions(receiver);
  return built && ts.isCallExpression(built) ? built : undefined;
}

/**
 * Whether `call` builds a release command (`trx.rollback()`, run or not): building one does not
 * release and cannot throw. Always false for a resource whose release calls release themselves.
 */
export function buildsReleaseCommand(call: ts.CallExpression, resource: ResourceDefinition): boolean {
  if (resource.releaseRunBy === undefined) return false;
  const name = calledMethodName(call);
  return name !== undefined && callReceiver(call) !== undefined && (resource.release.includes(name) || resource.poolRelease.includes(name));
}

/** The release method a release call uses: `commit` for `trx.commit()`, and for `trx.commit().execute()`. */
export function releaseMethodOf(call: ts.CallExpression, resource: ResourceDefinition): string | undefined {
  const operation = releaseOperationOf(call, resource);
  return operation && calledMethodName(operation);
}

/** A release call as a fix writes it: `trx.rollback()` as is, or run — `trx.rollback().execute()`. */
export function runReleaseText(resource: ResourceDefinition, callText: string): string {
  return resource.releaseRunBy === undefined ? callText : `${callText}.${resource.releaseRunBy}()`;
}
