// Flat config: TypeScript-aware rules everywhere, React hooks rules in the renderer, and the import
// boundaries that keep the architecture honest.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const rawIpcAllowed = ['electron/preload/index.ts', 'electron/main/ipc/electron-binding.ts'];
// The only main-process files that may import `electron`: composition root, windows, IPC binding, and the
// Electron-specific adapters the composition root wires into the services (electron/main/electron/: net-fetch).
// (The shell's decisions live in electron/main/shell/, Electron-free, so they are not listed.)
const electronAllowed = [
  'electron/main/index.ts',
  'electron/main/windows/**',
  'electron/main/ipc/electron-binding.ts',
  'electron/main/electron/**',
];
const electronFree = {
  paths: [{ name: 'electron', message: 'Services stay free of Electron: receive what you need from the composition root.' }],
  patterns: [{ group: ['electron/*'], message: 'Services stay free of Electron.' }],
};
// One folder per API style under providers/; shared plumbing (wire/, errors/) sits below them.
const apiFolders = ['openai-chat', 'openai-responses', 'openai-assistant'];
const providers = 'electron/main/providers';
/** Imports of other API folders, as seen from a file one folder below providers/. */
const otherApiFolders = (own) =>
  apiFolders.filter((f) => f !== own).map((f) => ({ group: [`../${f}/*`, `**/providers/${f}/*`], message: 'An API folder does not import another: move what both need to wire/ or errors/.' }));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: electronAllowed,
    rules: {
      'no-restricted-imports': ['error', electronFree],
    },
  },
  {
    // Shared plumbing never imports upward into an API folder (nor the kinds that wire them).
    files: [`${providers}/wire/**/*.ts`, `${providers}/errors/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronFree.paths,
          patterns: [
            ...electronFree.patterns,
            { group: [...apiFolders.flatMap((f) => [`../${f}/*`, `**/providers/${f}/*`]), '../kinds', '../provider-service'], message: 'wire/ and errors/ sit below the API folders: they never import one.' },
          ],
        },
      ],
    },
  },
  ...apiFolders.map((folder) => ({
    files: [`${providers}/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths: electronFree.paths, patterns: [...electronFree.patterns, ...otherApiFolders(folder)] }],
    },
  })),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through lib/api.ts.' }],
          patterns: [{ group: ['**/electron/**', 'node:*'], message: 'The renderer owns only UI.' }],
        },
      ],
    },
  },
  {
    files: ['electron/browser-host/bridge.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', location: 'readonly', WebSocket: 'readonly', console: 'readonly', BRIDGE_CONFIG: 'readonly' } },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: rawIpcAllowed,
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Only the preload touches ipcRenderer.' },
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Only ipc/electron-binding.ts touches ipcMain.' },
      ],
    },
  },
);
