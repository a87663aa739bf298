// Loads one entry point with require() and with import() and prints, for each, the names it exports
// and the exported functions and classes whose `name` is not the name they are exported under.
import { createRequire } from 'node:module';

const specifier = process.argv[2];
const require = createRequire(import.meta.url);

function describeExports(exports) {
  const names = Object.keys(exports)
    .filter((name) => name !== 'default' && name !== '__esModule')
    .sort();
  // A bundler that renames a class shows `_BudgetExceededError: …` in stack traces and logs.
  const renamed = names.filter((name) => typeof exports[name] === 'function' && exports[name].name !== name);
  return { names, renamed };
}

console.log(
  JSON.stringify({
    require: describeExports(require(specifier)),
    import: describeExports(await import(specifier)),
  }),
);
