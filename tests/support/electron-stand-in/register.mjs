// `node --import ./register.mjs out/main/index.js`: the built main process resolves `electron` to the
// stand-in next to this file (and, with SB_STANDIN_KEYTAR=broken, `keytar` to a module that fails to load
// the way keytar does where libsecret is missing).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
