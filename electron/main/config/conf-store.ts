/**
 * The config store outside Electron (the browser host, tests, the benchmark): `conf`, the engine of the
 * electron-store the app uses, with the same settings. `clearInvalidConfig: false` matters: a corrupted
 * file must reach ConfigStore, which moves it aside and tells the user, instead of being silently emptied.
 */
import Conf from 'conf';
import type { JsonFileStoreFactory } from './config-store';

export const createConfStore: JsonFileStoreFactory = ({ cwd, name }) => new Conf({ cwd, configName: name, clearInvalidConfig: false });
