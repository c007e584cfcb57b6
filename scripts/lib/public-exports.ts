/**
 * The public runtime API of a package entry: the value exports (functions, classes, constants)
 * its emitted declaration file (dist/runtime/<entry>.d.ts) declares. Type-only exports are left
 * out, since they do not exist at run time. Used by the bundle script (which hides every other
 * name a bundled entry would export) and by the test that checks each built entry's exports.
 */
import ts from 'typescript';

export function publicValueExports(dtsFile: string): string[] {
  const program = ts.createProgram([dtsFile], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${dtsFile}: not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((s) => s.name)
    .sort();
}
