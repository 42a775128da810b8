import type ts from 'typescript';

/*
 * The program's type checker, with its answer to "which symbol is at this node" remembered. The
 * dataflow asks it of the same identifiers for every acquisition it follows through a function,
 * and the summaries ask again; TypeScript resolves the name afresh each time, walking the scopes
 * out from it (in a function of 10⁴ statements holding 100 acquisitions, a sixth of the engine's
 * time). For one checker the answer for a node never changes, so it is kept per checker, for the
 * nodes asked about only. Every other question goes to the checker itself, whose methods are
 * closures over its state (the wrapper inherits them). The engine's entry (`index.ts`) hands this
 * checker to the analyses it builds per program.
 */

const wrappers = new WeakMap<ts.TypeChecker, ts.TypeChecker>();

export function checkerOf(program: ts.Program): ts.TypeChecker {
  const checker = program.getTypeChecker();
  let wrapper = wrappers.get(checker);
  if (!wrapper) wrappers.set(checker, (wrapper = rememberingSymbols(checker)));
  return wrapper;
}

function rememberingSymbols(checker: ts.TypeChecker): ts.TypeChecker {
  const symbols = new WeakMap<ts.Node, ts.Symbol | null>();
  const getSymbolAtLocation = (node: ts.Node): ts.Symbol | undefined => {
    let known = symbols.get(node);
    if (known === undefined) symbols.set(node, (known = checker.getSymbolAtLocation(node) ?? null));
    return known ?? undefined;
  };
  return Object.create(checker, { getSymbolAtLocation: { value: getSymbolAtLocation } }) as ts.TypeChecker;
}
