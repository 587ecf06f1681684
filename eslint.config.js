// ESLint flat config: typescript-eslint type-checked rules; `any` and floating promises are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Bounded contexts never import I/O libraries: only infra/, http/ and app/ may.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/shared/**', 'src/xml/**', 'src/iec62325/**', 'src/config/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['pg', 'ioredis', 'bullmq', 'express', '@electric-sql/pglite'] }],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
