// `node --import tsx test/e2e/support/checkTools.ts`: exits 1 with one line naming the setup command when an end-to-end tool is missing (scripts/test.mjs runs it first).
import { requireTools } from './e2eTools';

try {
  requireTools('code-server', 'chromium', 'nvim');
} catch (error) {
  console.error(`npm test: ${error instanceof Error ? error.message : String(error)}; or run only unit tests with \`npm test -- test/<folder>\``);
  process.exit(1);
}
