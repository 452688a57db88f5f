// Module resolution hooks (Node's module.register): `electron` -> the stand-in.
const standIn = new URL('./electron.mjs', import.meta.url).href;
const brokenKeytar = new URL('./broken-keytar.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  if (specifier === 'keytar' && process.env.SB_STANDIN_KEYTAR === 'broken') return { url: brokenKeytar, shortCircuit: true };
  return next(specifier, context);
}
