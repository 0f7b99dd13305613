// ESLint for everything we write: src/, test/, bench/, scripts/, bin/ and the config files, with
// typescript-eslint's type-aware rules (recommendedTypeChecked). Formatting is Prettier's job
// (`npm run format:check`), so there are no style rules here. `npm run lint` runs both.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unsafeAny = {
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // tsconfig.json covers src/, test/ and vitest.config.ts; the JavaScript scripts are typed in
        // a default project, so the promise rules see them too.
        projectService: {
          allowDefaultProject: [
            '*.js',
            'scripts/*.mjs',
            'bench/*.mjs',
            'bench/*.cjs',
            'test/helpers/*.cjs',
            'src/statuspage/*.cjs',
          ],
          // Room for the scripts and benches as they come (17 in December 2026).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // In the preset already; named so that no change to it drops them.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-expressions': 'error',
      // `_name` marks a binding that is there for its position, not its value.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The store and command interfaces are asynchronous; the SQLite store and many commands
      // implement them synchronously, declared `async` so a throw still arrives as a rejection.
      '@typescript-eslint/require-await': 'off',
      // A package is required on first use on purpose (dist/ is CommonJS; start-up loads only what
      // every command needs). Our own modules are loaded with import(), which the build splits
      // into lazy chunks, so a relative require() is still an error.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^[^./]'] }],
    },
  },
  {
    // Tests read ir's --json output with JSON.parse and check its shape with expect: the assertion
    // is the type check. Plain JavaScript has no types for these rules to use.
    files: ['test/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'bin/ir'],
    rules: unsafeAny,
  },
  {
    // CommonJS: bin/ir (no extension) and the .cjs helpers.
    files: ['bin/ir', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // bin/ir has no extension, so TypeScript cannot type it (it is synchronous code).
    files: ['bin/ir'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
