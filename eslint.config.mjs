// ESLint flat config. The import rule keeps src/core and src/adapters free of the vscode API (DESIGN.md).
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core and src/adapters must stay VS Code-free: add a port in src/core/ports.ts and an adapter in src/vscode.' }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'media/webview/**', 'node_modules/**', 'samples/**', 'test/fixtures/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // CommonJS helpers (the mocha reporter) load their dependencies with require().
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['src/core/**/*.ts', 'src/adapters/**/*.ts', 'src/cli/**/*.ts'], rules: noVscode },
);
