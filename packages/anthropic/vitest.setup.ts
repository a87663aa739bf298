// The SDK warns on every call with a model it lists as deprecated; the tests use such
// ids on purpose (their prices are published and stable), so the warning is noise here.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('is deprecated and will reach end-of-life')) return;
  warn(...args);
};
