// Flat config: TypeScript-aware rules everywhere, React hooks rules in the renderer, and the import
// boundaries that keep the architecture honest.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const rawIpcAllowed = ['electron/preload/index.ts', 'electron/main/ipc/electron-binding.ts'];
// The only main-process files that may import `electron`: composition root, windows, IPC binding,
// and the Electron-specific adapters they wire in.
const electronAllowed = ['electron/main/index.ts', 'electron/main/windows/**', 'electron/main/ipc/electron-binding.ts', 'electron/main/electron/**'];

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
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Services stay free of Electron: receive what you need from the composition root.' }],
          patterns: [{ group: ['electron/*'], message: 'Services stay free of Electron.' }],
        },
      ],
    },
  },
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
