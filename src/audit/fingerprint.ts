/*
 * Which finding is "the same finding" from one commit to the next, for code scanning's alert
 * tracking (SARIF `partialFingerprints`; GitHub's own line hash is filled in only by its upload
 * action, not by the REST API, so the report carries its own). A fingerprint hashes what stays
 * when unrelated lines are added above: the rule, the file, the message's kind, the code reported
 * (whitespace collapsed) and the names of the functions around it — never a line number or the
 * message, which names lines. Two findings alike in all of that in one file are told apart by
 * their order (`:0`, `:1`). run.ts asks once per file, before suppressions leave any out, so a
 * suppressed neighbour does not renumber the others.
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';

/** What the fingerprint of one finding is made of (see the header). */
export interface FingerprintInput {
  readonly rule: string;
  readonly file: string;
  readonly messageId: string;
  readonly node: ts.Node;
}

/** One fingerprint per input, in order: `<32 hex digits>:<occurrence>`. */
export function fingerprintsOf(inputs: readonly FingerprintInput[]): string[] {
  const occurrences = new Map<string, number>();
  return inputs.map((input) => {
    const digest = createHash('sha256').update(identityOf(input)).digest('hex').slice(0, 32);
    const occurrence = occurrences.get(digest) ?? 0;
    occurrences.set(digest, occurrence + 1);
    return `${digest}:${occurrence}`;
  });
}

function identityOf({ rule, file, messageId, node }: FingerprintInput): string {
  const code = ts.isSourceFile(node) ? '' : node.getText().replace(/\s+/g, ' ').trim();
  return [rule, file, messageId, code, enclosingNames(node).join('.')].join('\0');
}

/** `UserRepository.save`: the named declarations around a node, outermost first. */
export function enclosingNames(node: ts.Node): string[] {
  const names: string[] = [];
  for (let current = node.parent as ts.Node | undefined; current && !ts.isSourceFile(current); current = current.parent) {
    const name = declaredName(current);
    if (name) names.unshift(name);
  }
  return names;
}

/** The name a function, class or member is declared by; a function expression takes its variable's or property's. */
function declaredName(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) {
    return node.name?.getText();
  }
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if ((ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) && node.initializer && isFunctionOrClass(node.initializer)) return node.name.getText();
  return undefined;
}

function isFunctionOrClass(node: ts.Expression): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node);
}
